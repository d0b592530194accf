#pragma once
// Tokens to principals: an API key, an agent's login session or a booth's device token, each
// stored only as its hash. The REST side reads the token from the bearer header or the console's
// cookie and turns a refusal into 401; live events read it from the hello.
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

class Credentials {
  public:
    // nullopt for an unknown, revoked or expired token (or one longer than any we issue).
    static std::optional<Principal> resolve(db::Connection& db, const std::string& token,
                                            const std::string& now);
};

}  // namespace vg::desk
