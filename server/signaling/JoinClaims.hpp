#pragma once
// What a verified join token says: which call session, as whom. Signaling gets the verification
// as a function so it does not depend on the scheduling code that issues the tokens.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace vg::signaling {

struct JoinClaims {
    std::string session_id;       // the call session, which is the SFU room
    std::string role;             // "booth" | "agent"
    std::string identity;         // the booth or agent id: a rejoin with the same one replaces it
    std::int64_t expires_at = 0;  // unix seconds: how long the token must be remembered as used
    std::string node{};           // the node_name that hosts the call session
};

// nullopt for a token that is malformed, forged, expired or whose call session has ended.
using VerifyJoinToken = std::function<std::optional<JoinClaims>(const std::string& token)>;

}  // namespace vg::signaling
