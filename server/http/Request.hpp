#pragma once
// A parsed HTTP request as handlers see it: no Beast types, so handlers compile fast.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace vg::http {

struct CaseInsensitiveLess {
    bool operator()(std::string_view a, std::string_view b) const;
    using is_transparent = void;
};

struct Request {
    std::string method;                        // "GET", "POST", ...
    std::string target;                        // as received: path and query
    std::string path;                          // percent-decoded path, no query
    std::map<std::string, std::string> query;  // decoded query parameters
    std::map<std::string, std::string, CaseInsensitiveLess> headers;
    std::string body;
    std::string remote_address;  // the TCP peer: "127.0.0.1", a proxy's address behind one
    // Who the client is: remote_address, or what a trusted proxy says in X-Forwarded-For
    // (ServerOptions::trusted_proxies). Audit logs and rate limits use this one.
    std::string client_address;
    bool secure = false;     // HTTPS to us, or to a trusted proxy (X-Forwarded-Proto: https)
    std::string request_id;  // X-Request-Id from the client when sane, else made here

    // Empty when absent.
    std::string header(std::string_view name) const;
    std::optional<std::string> query_param(std::string_view name) const;
    // The token of "Authorization: Bearer <token>", else the value of the session cookie
    // "vg_session"; empty when neither.
    std::string bearer_token() const;

    // Sets target, path and query from a request target ("/a%20b?x=1&y"). False when it is not
    // an origin-form target or decodes to something no file or route may hold (NUL, bad escape):
    // the server answers 400.
    bool set_target(std::string raw_target);
};

// Percent-decodes text; in a query, '+' is a space. Nullopt for a bad escape or a NUL byte.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace vg::http
