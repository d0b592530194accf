#include <gtest/gtest.h>

#include "domain/JoinToken.hpp"
#include "signaling/JoinTokenVerifier.hpp"

namespace vg::signaling {
namespace {

using namespace std::chrono_literals;

TEST(JoinTokenVerifierTest, AcceptsAnIssuedTokenUntilItExpires) {
    std::chrono::system_clock::time_point now{1'800'000'000s};
    auto verify = make_join_token_verifier("shared-key", [&now] { return now; });
    auto token = domain::JoinToken::sign("shared-key",
                                         {"5b0c9d6e-0000-4000-8000-000000000001", "booth",
                                          "5b0c9d6e-0000-4000-8000-000000000002", 1'800'000'060});
    auto claims = verify(token);
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->session_id, "5b0c9d6e-0000-4000-8000-000000000001");
    EXPECT_EQ(claims->role, "booth");
    EXPECT_EQ(claims->identity, "5b0c9d6e-0000-4000-8000-000000000002");
    now += 60s;
    EXPECT_FALSE(verify(token));
}

TEST(JoinTokenVerifierTest, RefusesAnotherKeysToken) {
    auto verify = make_join_token_verifier("shared-key");
    auto far = std::chrono::duration_cast<std::chrono::seconds>(
                   (std::chrono::system_clock::now() + 1h).time_since_epoch())
                   .count();
    EXPECT_FALSE(verify(domain::JoinToken::sign("other-key", {"s", "agent", "a", far})));
    EXPECT_TRUE(verify(domain::JoinToken::sign("shared-key", {"s", "agent", "a", far})));
    EXPECT_FALSE(verify("garbage"));
}

}  // namespace
}  // namespace vg::signaling
