#pragma once
// Short-lived TURN credentials in the TURN REST scheme that coturn checks with use-auth-secret and
// the shared secret of its static-auth-secret: no per-user state on the TURN server, and a leaked
// credential stops working when it expires.
//   username   = "<expires unix seconds>:<id>"
//   credential = base64(HMAC-SHA1(secret, username))
#include <cstdint>
#include <string>
#include <string_view>

namespace vg::domain {

class TurnCredentials {
  public:
    // id says whose allocation it is in coturn's logs (we use the call session id and role).
    static TurnCredentials issue(std::string_view secret, std::string_view id,
                                 std::int64_t expires_at);

    std::string username;
    std::string credential;
};

}  // namespace vg::domain
