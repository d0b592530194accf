#pragma once
// A booth's device credential after enrolment: the booth trades it for a new one (the kiosk does
// so when it starts, so a token copied from its storage earlier is worth nothing); the old one
// stops working at once. Its open live-events connection stays: it was admitted as this booth.
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

class BoothCredentials {
  public:
    // The new token (stored only as its hash); nullopt when the booth was revoked meanwhile.
    static std::optional<std::string> rotate(db::Connection& db, const std::string& now,
                                             const Principal& booth, const std::string& address);
};

}  // namespace vg::desk
