#pragma once
// Tokens to principals: an API key, an agent's login session or a booth's device token, each
// stored only as its hash. The REST side reads the token from the bearer header or the console's
// cookie and turns a refusal into 401; live events read it from the hello.
#include <chrono>
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

class Credentials {
  public:
    // nullopt for an unknown, revoked or expired token (or one longer than any we issue), and
    // for an agent session unused for idle_timeout; an agent session's use is written down.
    static std::optional<Principal> resolve(
        db::Connection& db, const std::string& token, const std::string& now,
        std::chrono::seconds idle_timeout = std::chrono::minutes(30));
};

}  // namespace vg::desk
