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
    EXPECT_EQ(claims->node, "");
    EXPECT_FALSE(JoinToken::verify("key", token, 1000));
}

TEST(JoinToken, CarriesTheHostingNodeUnderTheSignature) {
    JoinClaims on_a = kClaims;
    on_a.node = "node-a";
    auto token = JoinToken::sign("key", on_a);
    auto claims = JoinToken::verify("key", token, 0);
    ASSERT_TRUE(claims.has_value());
    EXPECT_EQ(claims->node, "node-a");
    // Another node's name with node-a's signature: refused.
    JoinClaims on_b = on_a;
    on_b.node = "node-b";
    auto other = JoinToken::sign("key", on_b);
    EXPECT_FALSE(JoinToken::verify(
        "key", other.substr(0, other.find('.')) + token.substr(token.find('.')), 0));
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
    EXPECT_TRUE(JoinToken::verify("key", sign_raw("v2|s|agent|a|50|node-1"), 0));
    EXPECT_TRUE(JoinToken::verify("key", sign_raw("v2|s|agent|a|50|"), 0));
    // The format before nodes named their host: no longer admitted anywhere.
    EXPECT_FALSE(JoinToken::verify("key", sign_raw("v1|s|agent|a|50"), 0));
    EXPECT_FALSE(JoinToken::verify("key", sign_raw("v3|s|agent|a|50|n"), 0));
    EXPECT_FALSE(JoinToken::verify("key", sign_raw("v2|s|admin|a|50|n"), 0));
    EXPECT_FALSE(JoinToken::verify("key", sign_raw("v2||agent|a|50|n"), 0));
    EXPECT_FALSE(JoinToken::verify("key", sign_raw("v2|s|agent|a|50x|n"), 0));
    EXPECT_FALSE(JoinToken::verify("key", sign_raw("v2|s|agent|a|50|n|extra"), 0));
    EXPECT_FALSE(JoinToken::verify("key", sign_raw("v2|s|agent|a|50|" + std::string(65, 'n')), 0));
}

}  // namespace vg::domain
