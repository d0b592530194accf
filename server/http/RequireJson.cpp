#include "http/RequireJson.hpp"

#include <algorithm>
#include <cctype>

#include "http/Problem.hpp"

namespace vg::http {

void require_json(const Request& request) {
    if (request.body.empty()) return;
    std::string type = request.header("Content-Type");
    type = type.substr(0, type.find(';'));
    type.erase(std::remove_if(type.begin(), type.end(),
                              [](unsigned char c) { return std::isspace(c) != 0; }),
               type.end());
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (type != "application/json") {
        throw Problem(415, "The body must be application/json.");
    }
}

}  // namespace vg::http
