// Who sees what on /api/v1/events, rule by rule.
#include <gtest/gtest.h>

#include "signaling/events/Audience.hpp"

namespace vg::test {

using http::api::Principal;
using signaling::events::Audience;

namespace {

Principal key(unsigned role) {
    return Principal{Principal::Kind::ApiKey, "k", role, {}, {}};
}

Principal agent(unsigned roles, std::vector<std::string> sites) {
    return Principal{Principal::Kind::Agent, "a", roles, std::move(sites), "s"};
}

Principal booth(const std::string& site) {
    return Principal{Principal::Kind::Booth, "b", http::api::kBooth, {site}, {}};
}

}  // namespace

TEST(AudienceTest, KeysOfAdminsAndSupervisorsSeeEverythingSchedulersNothing) {
    for (unsigned role : {http::api::kAdmin, http::api::kSupervisor}) {
        EXPECT_TRUE(Audience::admitted(key(role)));
        EXPECT_TRUE(Audience::sees_queue(key(role), "north"));
        EXPECT_TRUE(Audience::oversees_any(key(role), {"south"}));
    }
    EXPECT_FALSE(Audience::admitted(key(http::api::kScheduler)));
    EXPECT_FALSE(Audience::sees_queue(key(http::api::kScheduler), "north"));
}

TEST(AudienceTest, AgentSeesTheQueuesOfTheirSitesAndOverseesOnlyAsSupervisor) {
    auto plain = agent(http::api::kAgent, {"north"});
    EXPECT_TRUE(Audience::sees_queue(plain, "north"));
    EXPECT_FALSE(Audience::sees_queue(plain, "south"));
    EXPECT_FALSE(Audience::oversees(plain, "north"));
    EXPECT_TRUE(Audience::is_agent(plain, "a"));
    EXPECT_FALSE(Audience::is_agent(plain, "other"));

    auto supervisor = agent(http::api::kAgent | http::api::kSupervisor, {"north"});
    EXPECT_TRUE(Audience::oversees(supervisor, "north"));
    EXPECT_FALSE(Audience::oversees(supervisor, "south"));
    EXPECT_TRUE(Audience::oversees_any(supervisor, {"south", "north"}));

    auto admin = agent(http::api::kAdmin, {});
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
