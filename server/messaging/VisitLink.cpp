#include "messaging/VisitLink.hpp"

#include <chrono>
#include <stdexcept>

#include "common/Secret.hpp"
#include "db/Connection.hpp"
#include "domain/Validation.hpp"

namespace vg::messaging {

namespace {

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kExpiryBytes = 4;
constexpr std::size_t kSignatureBytes = 16;
constexpr std::size_t kTokenChars = 48;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string uuid_text(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        auto b = static_cast<unsigned char>(bytes[i]);
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

}  // namespace

VisitLink::VisitLink(std::string key) : key_(std::move(key)) {
    if (key_.size() < 32) throw std::invalid_argument("visit_link_key is too short");
}

VisitLink VisitLink::load(db::Connection& db) {
    auto rows = db.exec("SELECT value FROM server_settings WHERE name = 'visit_link_key'");
    if (rows.rows() != 1) throw std::runtime_error("server_settings has no visit_link_key");
    return VisitLink(std::string(rows.get(0, 0)));
}

std::string VisitLink::signature(std::string_view payload) const {
    auto full = common::secret::base64url_decode(common::secret::hmac_sha256(key_, payload));
    return full->substr(0, kSignatureBytes);
}

std::string VisitLink::token(std::string_view appointment_id, domain::Instant expires_at) const {
    if (!domain::Validation::is_uuid(appointment_id))
        throw std::invalid_argument("not an appointment id");
    std::string payload;
    for (std::size_t i = 0; i + 1 < appointment_id.size(); ++i) {
        if (appointment_id[i] == '-') continue;
        payload +=
            static_cast<char>(hex_value(appointment_id[i]) * 16 + hex_value(appointment_id[i + 1]));
        ++i;
    }
    auto seconds = std::chrono::floor<std::chrono::seconds>(expires_at).time_since_epoch().count();
    auto expiry = static_cast<std::uint32_t>(seconds);
    for (int shift = 24; shift >= 0; shift -= 8) payload += static_cast<char>(expiry >> shift);
    return common::secret::base64url_encode(payload + signature(payload));
}

std::optional<std::string> VisitLink::appointment(std::string_view token,
                                                  domain::Instant now) const {
    if (token.size() != kTokenChars) return std::nullopt;
    auto bytes = common::secret::base64url_decode(token);
    if (!bytes || bytes->size() != kIdBytes + kExpiryBytes + kSignatureBytes) return std::nullopt;
    auto payload = bytes->substr(0, kIdBytes + kExpiryBytes);
    if (!common::secret::constant_time_equal(signature(payload), bytes->substr(payload.size())))
        return std::nullopt;
    std::uint32_t expiry = 0;
    for (std::size_t i = kIdBytes; i < payload.size(); ++i)
        expiry = (expiry << 8) | static_cast<unsigned char>(payload[i]);
    auto expires_at = domain::Instant{std::chrono::seconds{expiry}};
    if (now >= expires_at) return std::nullopt;
    return uuid_text(payload.substr(0, kIdBytes));
}

}  // namespace vg::messaging
