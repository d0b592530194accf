#include "signaling/JoinTokenVerifier.hpp"

#include "domain/JoinToken.hpp"

namespace vg::signaling {

VerifyJoinToken make_join_token_verifier(std::string key, SystemClock clock) {
    return [key = std::move(key),
            clock = std::move(clock)](const std::string& token) -> std::optional<JoinClaims> {
        auto now = std::chrono::duration_cast<std::chrono::seconds>(clock().time_since_epoch());
        auto claims = domain::JoinToken::verify(key, token, now.count());
        if (!claims) return std::nullopt;
        return JoinClaims{claims->session_id, claims->role, claims->participant_id,
                          claims->expires_at, claims->node};
    };
}

}  // namespace vg::signaling
