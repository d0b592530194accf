#pragma once
// The citizen's personal link, {public_url}/visit/#<token>: the token names one appointment and
// when it stops working, signed with HMAC-SHA256 under the key every node reads from
// server_settings (visit_link_key, migrations/0009_messages.sql). It grants nothing else. It
// travels in the URL's fragment, which browsers never send, so it reaches no server log.
#include <optional>
#include <string>
#include <string_view>

#include "domain/TimeFormat.hpp"

namespace vg::db {
class Connection;
}

namespace vg::messaging {

class VisitLink {
  public:
    explicit VisitLink(std::string key);
    static VisitLink load(db::Connection& db);

    // 48 base64url characters: the appointment's 16 bytes, the expiry in Unix seconds (4 bytes),
    // and the first 16 bytes of the HMAC over those 20 (128 bits: no forgery by trying).
    std::string token(std::string_view appointment_id, domain::Instant expires_at) const;
    // The appointment id (canonical UUID text) when the token is ours, intact and not expired.
    std::optional<std::string> appointment(std::string_view token, domain::Instant now) const;

  private:
    std::string signature(std::string_view payload) const;
    std::string key_;
};

}  // namespace vg::messaging
