#pragma once
// The production VerifyJoinToken: checks the signed join tokens that POST /sessions/{id}/join
// issues (domain/JoinToken.hpp) with the key every server node shares.
#include <chrono>
#include <functional>
#include <string>

#include "signaling/JoinClaims.hpp"

namespace vg::signaling {

using SystemClock = std::function<std::chrono::system_clock::time_point()>;

VerifyJoinToken make_join_token_verifier(std::string key,
                                         SystemClock clock = std::chrono::system_clock::now);

}  // namespace vg::signaling
