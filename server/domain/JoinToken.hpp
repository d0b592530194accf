#pragma once
// The short-lived token that lets one participant (the booth or the agent) join one call session
// on the signaling WebSocket. Signed, not stored: any server node sharing the database can verify
// it with the key in server_settings.join_token_key (see http/api/ApiKeys.hpp load_join_token_key).
//   token = base64url(payload) "." HMAC-SHA256(key, base64url(payload)) in base64url
//   payload = "v2|<session_id>|<role>|<participant_id>|<expires unix seconds>|<node>"
// node is the node_name that hosts the call session: another node refuses the token.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vg::domain {

struct JoinClaims {
    std::string session_id;       // call_sessions.id
    std::string role;             // "booth" | "agent"
    std::string participant_id;   // booths.id or agents.id
    std::int64_t expires_at = 0;  // unix seconds
    std::string node{};           // the hosting node's name ("" for an unregistered node)
};

class JoinToken {
  public:
    static std::string sign(std::string_view key, const JoinClaims& claims);
    // The claims when the signature is right and now_unix < expires_at; nullopt otherwise
    // (malformed, forged, expired, unknown role). Tokens longer than 1 KiB are refused unread.
    static std::optional<JoinClaims> verify(std::string_view key, std::string_view token,
                                            std::int64_t now_unix);
};

}  // namespace vg::domain
