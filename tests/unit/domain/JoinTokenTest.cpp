#include <gtest/gtest.h>

#include "common/Secret.hpp"
#include "domain/JoinToken.hpp"

namespace vg::domain {

namespace {
const JoinClaims kClaims{"0f8fad5b-d9cb-469f-a165-70867728950e", "booth",
                         "7c9e6679-7425-40de-944b-e07fc1f90ae7", 1000};
}

TEST(JoinToken, VerifiesWhatWasSignedUntilItExpires) {
    auto token = JoinToken::sign("key", kClaims);
    auto claims = JoinToken::verify("key", token, 999);
    ASSERT_TRUE(claims.has_value());
    EXPECT_EQ(claims->session_id, kClaims.session_id);
    EXPECT_EQ(claims->role, "booth");
    EXPECT_EQ(claims->participant_id, kClaims.participant_id);
    EXPECT_EQ(claims->expires_at, 1000);
    EXPECT_FALSE(JoinToken::verify("key", token, 1000));
}

TEST(JoinToken, RefusesAnotherKeyOrAnyChange) {
    auto token = JoinToken::sign("key", kClaims);
    EXPECT_FALSE(JoinToken::verify("other", token, 0));
    // A payload that claims the agent role, with the booth's signature.
    auto forged = JoinToken::sign(
        "key", JoinClaims{kClaims.session_id, "agent", kClaims.participant_id, 1000});
    auto swapped = forged.substr(0, forged.find('.')) + token.substr(token.find('.'));
    EXPECT_FALSE(JoinToken::verify("key", swapped, 0));
    EXPECT_FALSE(JoinToken::verify("key", token.substr(0, token.size() - 1), 0));
    EXPECT_FALSE(JoinToken::verify("key", "", 0));
    EXPECT_FALSE(JoinToken::verify("key", "no-dot", 0));
    EXPECT_FALSE(JoinToken::verify("key", std::string(2000, 'a') + ".b", 0));
}

TEST(JoinToken, RefusesWellSignedButMalformedPayloads) {
    auto sign_raw = [](const std::string& payload) {
        auto encoded = common::secret::base64url_encode(payload);
        return encoded + "." + common::secret::hmac_sha256("key", encoded);
    };
    EXPECT_TRUE(JoinToken::verify("key", sign_raw("v1|s|agent|a|50"), 0));
    EXPECT_FALSE(JoinToken::verify("key", sign_raw("v2|s|agent|a|50"), 0));
    EXPECT_FALSE(JoinToken::verify("key", sign_raw("v1|s|admin|a|50"), 0));
    EXPECT_FALSE(JoinToken::verify("key", sign_raw("v1||agent|a|50"), 0));
    EXPECT_FALSE(JoinToken::verify("key", sign_raw("v1|s|agent|a|50x"), 0));
    EXPECT_FALSE(JoinToken::verify("key", sign_raw("v1|s|agent|a|50|extra"), 0));
}

}  // namespace vg::domain
