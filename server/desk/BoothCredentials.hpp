#pragma once
// A booth's device credential: given once at enrolment for the single-use enrolment token; after
// it, the booth trades it for a new one (the kiosk does so when it starts, so a token copied from
// its storage earlier is worth nothing); the old one stops working at once. Its open live-events
// connection stays: it was admitted as this booth.
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

struct Enrolment {
    std::string booth_token;  // shown once
    std::string booth_id;
    std::string booth_json;  // vg_booth_json
    std::string site_json;   // vg_site_json of its site
};

class BoothCredentials {
  public:
    // The booth that enrollment_token enrols, with its first credential; nullopt when the token
    // is unknown, used, expired or revoked. The token's hash is cleared as it is used.
    static std::optional<Enrolment> enroll(db::Connection& db, const std::string& now,
                                           const std::string& enrollment_token,
                                           const std::string& address);
    // The new token (stored only as its hash); nullopt when the booth was revoked meanwhile.
    static std::optional<std::string> rotate(db::Connection& db, const std::string& now,
                                             const Principal& booth, const std::string& address);
};

}  // namespace vg::desk
