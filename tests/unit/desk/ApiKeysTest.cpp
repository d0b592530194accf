// desk::ApiKeys through the REST API's operations on the real database: listed without their
// secret, revoked once (every node hears it), a second revocation is no change.
#include "desk/ApiKeys.hpp"
#include "unit/desk/DeskFixture.hpp"

namespace vg::test {

using ApiKeysTest = DeskTest;

TEST_F(ApiKeysTest, AKeyIsListedWithoutItsSecretAndRevokedOnce) {
    auto key = desk::create_api_key(*db_, "planning", "scheduler", std::nullopt, "api_key:root");
    auto listed = desk::list_api_keys(*db_, std::nullopt, 10);
    ASSERT_EQ(listed.rows(), 1);
    EXPECT_EQ(listed.get(0, 1), key.id);
    EXPECT_EQ(std::string(listed.get(0, 0)).find(key.token), std::string::npos);
    EXPECT_EQ(desk::list_api_keys(*db_, key.id, 10).rows(), 0);

    EXPECT_EQ(desk::revoke_api_key(*db_, kNow, key.id, "api_key:root"),
              desk::KeyRevocation::Revoked);
    EXPECT_EQ(desk::revoke_api_key(*db_, kNow, key.id, "api_key:root"),
              desk::KeyRevocation::AlreadyRevoked);
    EXPECT_EQ(desk::revoke_api_key(*db_, kNow, site_, "api_key:root"),
              desk::KeyRevocation::NoSuchKey);
    EXPECT_EQ(events("api_key.revoked"), 1);
}

}  // namespace vg::test
