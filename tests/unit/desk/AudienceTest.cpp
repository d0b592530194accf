// Who sees what on /api/v1/events, rule by rule.
#include <gtest/gtest.h>

#include "desk/Audience.hpp"

namespace vg::test {

using desk::Audience;
using desk::Principal;

namespace {

Principal key(desk::Role role) {
    return Principal{Principal::Kind::ApiKey, "k", role, {}, {}};
}

Principal agent(desk::Roles roles, std::vector<std::string> sites) {
    return Principal{Principal::Kind::Agent, "a", roles, std::move(sites), "s"};
}

Principal booth(const std::string& site) {
    return Principal{Principal::Kind::Booth, "b", desk::Role::Booth, {site}, {}};
}

}  // namespace

TEST(AudienceTest, KeysOfAdminsAndSupervisorsSeeEverythingSchedulersNothing) {
    for (desk::Role role : {desk::Role::Admin, desk::Role::Supervisor}) {
        EXPECT_TRUE(Audience::admitted(key(role)));
        EXPECT_TRUE(Audience::sees_queue(key(role), "north"));
        EXPECT_TRUE(Audience::oversees_any(key(role), {"south"}));
    }
    EXPECT_FALSE(Audience::admitted(key(desk::Role::Scheduler)));
    EXPECT_FALSE(Audience::sees_queue(key(desk::Role::Scheduler), "north"));
}

TEST(AudienceTest, AgentSeesTheQueuesOfTheirSitesAndOverseesOnlyAsSupervisor) {
    auto plain = agent(desk::Role::Agent, {"north"});
    EXPECT_TRUE(Audience::sees_queue(plain, "north"));
    EXPECT_FALSE(Audience::sees_queue(plain, "south"));
    EXPECT_FALSE(Audience::oversees(plain, "north"));
    EXPECT_TRUE(Audience::is_agent(plain, "a"));
    EXPECT_FALSE(Audience::is_agent(plain, "other"));

    auto supervisor = agent(desk::Role::Agent | desk::Role::Supervisor, {"north"});
    EXPECT_TRUE(Audience::oversees(supervisor, "north"));
    EXPECT_FALSE(Audience::oversees(supervisor, "south"));
    EXPECT_TRUE(Audience::oversees_any(supervisor, {"south", "north"}));

    auto admin = agent(desk::Role::Admin, {});
    EXPECT_TRUE(Audience::watches_everything(admin));
    EXPECT_TRUE(Audience::sees_queue(admin, "south"));
}

TEST(AudienceTest, BoothSeesNoQueueAndOnlyItself) {
    auto kiosk = booth("north");
    EXPECT_TRUE(Audience::admitted(kiosk));
    EXPECT_FALSE(Audience::sees_queue(kiosk, "north"));
    EXPECT_FALSE(Audience::oversees(kiosk, "north"));
    EXPECT_FALSE(Audience::is_agent(kiosk, "b"));
    EXPECT_TRUE(Audience::is_booth(kiosk, "b"));
    EXPECT_FALSE(Audience::is_booth(kiosk, "other"));
}

}  // namespace vg::test
