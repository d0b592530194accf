#include "domain/JoinToken.hpp"

#include <charconv>
#include <vector>

#include "common/Secret.hpp"

namespace vg::domain {

namespace secret = common::secret;

namespace {

bool plain_field(std::string_view s) {
    return !s.empty() && s.size() <= 64 && s.find('|') == std::string_view::npos;
}

}  // namespace

std::string JoinToken::sign(std::string_view key, const JoinClaims& claims) {
    std::string payload = "v2|" + claims.session_id + "|" + claims.role + "|" +
                          claims.participant_id + "|" + std::to_string(claims.expires_at) + "|" +
                          claims.node;
    std::string encoded = secret::base64url_encode(payload);
    return encoded + "." + secret::hmac_sha256(key, encoded);
}

std::optional<JoinClaims> JoinToken::verify(std::string_view key, std::string_view token,
                                            std::int64_t now_unix) {
    if (token.size() > 1024) return std::nullopt;
    auto dot = token.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    auto encoded = token.substr(0, dot);
    if (!secret::constant_time_equal(secret::hmac_sha256(key, encoded), token.substr(dot + 1)))
        return std::nullopt;
    auto payload = secret::base64url_decode(encoded);
    if (!payload) return std::nullopt;
    std::vector<std::string_view> parts;
    std::string_view rest = *payload;
    for (;;) {
        auto bar = rest.find('|');
        parts.push_back(rest.substr(0, bar));
        if (bar == std::string_view::npos) break;
        rest.remove_prefix(bar + 1);
    }
    if (parts.size() != 6 || parts[0] != "v2") return std::nullopt;
    if (parts[2] != "booth" && parts[2] != "agent") return std::nullopt;
    if (!plain_field(parts[1]) || !plain_field(parts[3])) return std::nullopt;
    if (parts[5].size() > 64) return std::nullopt;
    JoinClaims claims{std::string(parts[1]), std::string(parts[2]), std::string(parts[3]), 0,
                      std::string(parts[5])};
    auto [ptr, ec] =
        std::from_chars(parts[4].data(), parts[4].data() + parts[4].size(), claims.expires_at);
    if (ec != std::errc{} || ptr != parts[4].data() + parts[4].size()) return std::nullopt;
    if (now_unix >= claims.expires_at) return std::nullopt;
    return claims;
}

}  // namespace vg::domain
