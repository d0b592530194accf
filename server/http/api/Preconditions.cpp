#include "http/api/Preconditions.hpp"

#include "http/Problem.hpp"

namespace vg::http::api {

std::string Preconditions::etag(std::string_view version) {
    // Appended piece by piece: g++ 12 at -O3 warns falsely (-Wrestrict) on "\"" + string.
    std::string tag;
    tag.reserve(version.size() + 2);
    tag.append(1, '"').append(version).append(1, '"');
    return tag;
}

void Preconditions::check_if_match(const Request& request, std::string_view version, bool required,
                                   std::string_view what) {
    auto header = request.header("If-Match");
    if (header.empty()) {
        if (required) throw Problem(428, "This change needs an If-Match header with the ETag.");
        return;
    }
    const auto current = etag(version);
    std::string weak = "W/";
    weak += current;
    std::string_view rest = header;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        auto item = rest.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item == "*" || item == current || item == weak) return;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    throw Problem(412, "The " + std::string(what) + " changed since it was read; read it again.");
}

}  // namespace vg::http::api
