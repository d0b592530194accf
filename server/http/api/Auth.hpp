#pragma once
// The REST side of credentials: the token from the request (Authorization: Bearer, or the
// console's session cookie) to a principal (desk::Credentials), and the checks of role and site.
// 401 means "who are you?" (no token, unknown, revoked or expired); 403 means "you, not this".
#include <chrono>
#include <string>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"
#include "http/Request.hpp"

namespace vg::http::api {

class Auth {
  public:
    // Throws Problem 401 (with WWW-Authenticate) when there is no token or it is not valid.
    // idle_timeout: how long an agent session may go unused (desk::Options::agent_session_idle).
    static desk::Principal authenticate(db::Connection& db, const Request& request,
                                        const std::string& now, std::chrono::seconds idle_timeout);
    // Problem 403 unless the principal holds one of roles.
    static void require_role(const desk::Principal& principal, desk::Roles roles);
    // Problem 403 unless the principal reaches this site.
    static void require_site(const desk::Principal& principal, const std::string& site_id);
};

}  // namespace vg::http::api
