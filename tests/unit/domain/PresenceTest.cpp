#include <gtest/gtest.h>

#include "domain/Presence.hpp"

namespace vg::domain {

TEST(Presence, NamesRoundTrip) {
    for (auto name : {"offline", "available", "offered", "in_call", "wrap_up", "away"}) {
        auto state = Presence::parse(name);
        ASSERT_TRUE(state) << name;
        EXPECT_EQ(Presence::name(*state), name);
    }
    EXPECT_FALSE(Presence::parse("busy"));
}

TEST(Presence, WhatAnAgentMayChoose) {
    using S = PresenceState;
    EXPECT_TRUE(Presence::agent_may_set(S::Offline, S::Available));
    EXPECT_TRUE(Presence::agent_may_set(S::WrapUp, S::Available));
    EXPECT_TRUE(Presence::agent_may_set(S::Available, S::Away));
    EXPECT_TRUE(Presence::agent_may_set(S::Offered, S::Away));
    EXPECT_FALSE(Presence::agent_may_set(S::Offered, S::Available));
    EXPECT_FALSE(Presence::agent_may_set(S::InCall, S::Available));
    EXPECT_FALSE(Presence::agent_may_set(S::InCall, S::Offline));
    EXPECT_FALSE(Presence::agent_may_set(S::Available, S::InCall));
    EXPECT_FALSE(Presence::agent_may_set(S::Available, S::WrapUp));
}

}  // namespace vg::domain
