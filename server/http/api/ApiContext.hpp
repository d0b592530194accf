#pragma once
// What the REST handlers share: the database pool, the desk's options and clock, and where
// browsers reach this server.
#include <functional>
#include <memory>

#include "desk/Options.hpp"
#include "desk/PasswordHasher.hpp"

namespace vg::db {
class Pool;
}

namespace vg::http::api {

struct WebOptions {
    // Enrolment URLs are public_base_url + "/booth/#enroll=" + token (a fragment, so the token
    // never reaches a server log).
    std::string public_base_url = "http://127.0.0.1:8080";
    std::string signaling_url = "ws://127.0.0.1:8080/rtc/v1";
    std::string node_name;  // this node in the nodes table; "" when it is not registered
    std::function<bool()> draining = [] { return false; };  // after SIGTERM with calls
    bool secure_cookie = false;  // add "Secure" to the session cookie (set when serving TLS)
};

struct ApiContext {
    db::Pool& pool;
    desk::Options options{};
    desk::Clock clock = desk::system_clock();
    WebOptions web{};
    // Password hashing and checking, off the pool (Endpoint's serve_hashing).
    std::shared_ptr<desk::PasswordHasher> hasher = std::make_shared<desk::PasswordHasher>();
};

}  // namespace vg::http::api
