#pragma once
// Bearer tokens to principals, and the checks of role and site. 401 means "who are you?" (no
// token, unknown, revoked or expired); 403 means "you, not this".
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "http/Request.hpp"
#include "http/api/Principal.hpp"

namespace vg::http::api {

class Auth {
  public:
    // The principal of the request's token (Authorization: Bearer, or the console's session
    // cookie); throws Problem 401 (with WWW-Authenticate) when there is none or it is not valid.
    static Principal authenticate(db::Connection& db, const Request& request,
                                  const std::string& now);
    // nullopt for an unknown, revoked or expired token. For the live-events WebSocket too.
    static std::optional<Principal> resolve(db::Connection& db, const std::string& token,
                                            const std::string& now);
    // Problem 403 unless the principal holds one of roles.
    static void require_role(const Principal& principal, unsigned roles);
    // Problem 403 unless the principal reaches this site.
    static void require_site(const Principal& principal, const std::string& site_id);
};

}  // namespace vg::http::api
