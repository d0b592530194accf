#pragma once
// Conditional writes on a versioned record (RFC 9110 13.1.1): the ETag is the record's version in
// quotes, and a change names the one it read in If-Match.
#include <string>
#include <string_view>

#include "http/Request.hpp"

namespace vg::http::api {

class Preconditions {
  public:
    static std::string etag(std::string_view version);
    static std::string etag(int version) { return etag(std::to_string(version)); }
    // Problem 412 when If-Match names neither this version (strong or weak) nor "*"; without
    // If-Match, 428 when required, else nothing. what names the record in the 412's detail.
    static void check_if_match(const Request& request, std::string_view version, bool required,
                               std::string_view what);
};

}  // namespace vg::http::api
