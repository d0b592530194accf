#include <gtest/gtest.h>

#include "common/Secret.hpp"
#include "domain/TurnCredentials.hpp"

namespace vg::domain {
namespace {

TEST(TurnCredentialsTest, HmacSha1MatchesRfc2202) {
    // RFC 2202 test case 2: effcdf6ae5eb2fa2d27416d5f184df9c259a7c79, in base64.
    EXPECT_EQ(common::secret::hmac_sha1_base64("Jefe", "what do ya want for nothing?"),
              "7/zfauXrL6LSdBbV8YTfnCWafHk=");
}

TEST(TurnCredentialsTest, UsernameIsExpiryThenIdAndCredentialIsItsHmac) {
    // Expected value from: printf %s USERNAME | openssl dgst -sha1 -hmac SECRET -binary | base64
    auto issued = TurnCredentials::issue("north-shore-turn-secret",
                                         "3f2c1d9e-0000-4000-8000-000000000001:booth", 1798675200);
    EXPECT_EQ(issued.username, "1798675200:3f2c1d9e-0000-4000-8000-000000000001:booth");
    EXPECT_EQ(issued.credential, "gTLixAC3ocUPkyP45MGI0PbN+DA=");
}

TEST(TurnCredentialsTest, AnotherSecretOrExpiryGivesAnotherCredential) {
    auto issued = TurnCredentials::issue("secret-one-0123456789", "session:agent", 1798675200);
    EXPECT_NE(
        TurnCredentials::issue("secret-two-0123456789", "session:agent", 1798675200).credential,
        issued.credential);
    EXPECT_NE(
        TurnCredentials::issue("secret-one-0123456789", "session:agent", 1798675201).credential,
        issued.credential);
}

}  // namespace
}  // namespace vg::domain
