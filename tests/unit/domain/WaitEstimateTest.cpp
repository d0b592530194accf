#include <gtest/gtest.h>

#include "domain/WaitEstimate.hpp"

namespace vg::domain {

TEST(WaitEstimate, FreeAgentsServeTheFirstAtOnce) {
    EXPECT_EQ(WaitEstimate::seconds(1, 1, 0, 600), 0);
    EXPECT_EQ(WaitEstimate::seconds(2, 2, 3, 600), 0);
}

TEST(WaitEstimate, TheRestWaitRoundsOfServiceTime) {
    EXPECT_EQ(WaitEstimate::seconds(1, 0, 1, 600), 600);
    EXPECT_EQ(WaitEstimate::seconds(3, 0, 1, 600), 1800);
    EXPECT_EQ(WaitEstimate::seconds(3, 0, 2, 600), 1200);
    EXPECT_EQ(WaitEstimate::seconds(3, 1, 1, 600), 600);
}

TEST(WaitEstimate, NoAgentAtAllStillGivesAnEstimate) {
    EXPECT_EQ(WaitEstimate::seconds(2, 0, 0, 300), 600);
    EXPECT_EQ(WaitEstimate::seconds(2, -1, -1, -5), 0);
}

}  // namespace vg::domain
