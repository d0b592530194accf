#pragma once
#include <string>
#include <utility>
#include <vector>

namespace vg::http {

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers (ETag, Location...)
    std::string body;

    static Response no_content() { return Response{204, "", {}, ""}; }
};

}  // namespace vg::http
