// desk::Credentials and desk::Consoles on the real database: tokens to principals, and the
// connected consoles whose credential was revoked.
#include "desk/ApiKeys.hpp"
#include "desk/Consoles.hpp"
#include "desk/Credentials.hpp"
#include "unit/desk/DeskFixture.hpp"

namespace vg::test {

using CredentialsTest = DeskTest;

TEST_F(CredentialsTest, ApiKeyResolvesToItsRoleEverywhereUntilRevoked) {
    auto token = desk::create_api_key(*db_, "planning", "scheduler");
    auto principal = desk::Credentials::resolve(*db_, token, kNow);
    ASSERT_TRUE(principal);
    EXPECT_EQ(principal->kind, desk::Principal::Kind::ApiKey);
    EXPECT_TRUE(principal->has(desk::Role::Scheduler));
    EXPECT_FALSE(principal->has(desk::Role::Admin));
    EXPECT_TRUE(principal->covers(site_));

    EXPECT_FALSE(desk::Credentials::resolve(*db_, token + "x", kNow));
    EXPECT_FALSE(desk::Credentials::resolve(*db_, std::string(300, 'a'), kNow));
    sql("UPDATE api_keys SET revoked_at = now()");
    EXPECT_FALSE(desk::Credentials::resolve(*db_, token, kNow));
}

TEST_F(CredentialsTest, BadApiKeyRoleOrNameIsRefused) {
    EXPECT_THROW(desk::create_api_key(*db_, "x", "agent"), std::invalid_argument);
    EXPECT_THROW(desk::create_api_key(*db_, "", "admin"), std::invalid_argument);
    EXPECT_EQ(value("SELECT count(*) FROM api_keys"), "0");
}

TEST_F(CredentialsTest, ConsolesKeepAgentsPresentAndFindRevokedBooths) {
    desk::Principal agent{desk::Principal::Kind::Agent, agent_, desk::Role::Agent, {site_}, ""};
    desk::Principal booth{desk::Principal::Kind::Booth, booth_, desk::Role::Booth, {site_}, ""};
    auto ended = desk::Consoles::keep_alive(*db_, {agent, booth}, "2026-12-01T14:05:00Z");
    // The agent has no login session: its connection is one to end.
    EXPECT_EQ(ended, std::vector<std::size_t>{0});
    EXPECT_EQ(value("SELECT vg_time(last_seen_at) FROM agent_presence"), "2026-12-01T14:05:00Z");
    EXPECT_EQ(value("SELECT vg_time(last_seen_at) FROM booths WHERE id = '" + booth_ + "'"),
              "2026-12-01T14:05:00Z");

    sql("UPDATE booths SET revoked_at = now() WHERE id = '" + booth_ + "'");
    ended = desk::Consoles::keep_alive(*db_, {booth}, "2026-12-01T14:06:00Z");
    EXPECT_EQ(ended, std::vector<std::size_t>{0});
    EXPECT_TRUE(desk::Consoles::keep_alive(*db_, {}, kNow).empty());
}

}  // namespace vg::test
