#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "rtc/room/MissingPackets.hpp"

namespace vg::rtc::room {
namespace {

using Clock = MissingPackets::Clock;
using std::chrono::milliseconds;

const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(1);

std::vector<std::uint16_t> due(MissingPackets& missing, Clock::time_point now,
                               Clock::duration retry = milliseconds(100)) {
    std::array<std::uint16_t, 64> out{};
    const auto count = missing.due(now, retry, out);
    return {out.begin(), out.begin() + static_cast<std::ptrdiff_t>(count)};
}

TEST(MissingPackets, AGapIsAskedForAtTheNextTickThenAfterTheRetryInterval) {
    MissingPackets missing;
    missing.on_packet(10, t0);
    missing.on_packet(11, t0);
    missing.on_packet(14, t0);
    EXPECT_EQ(missing.size(), 2U);
    EXPECT_EQ(due(missing, t0 + milliseconds(20)), (std::vector<std::uint16_t>{12, 13}));
    EXPECT_TRUE(due(missing, t0 + milliseconds(60)).empty());  // asked 40 ms ago
    EXPECT_EQ(due(missing, t0 + milliseconds(120)), (std::vector<std::uint16_t>{12, 13}));
}

TEST(MissingPackets, AnArrivalClosesItsGap) {
    MissingPackets missing;
    missing.on_packet(1, t0);
    missing.on_packet(4, t0);
    EXPECT_EQ(missing.on_packet(3, t0), MissingPackets::Arrival::Filled);
    EXPECT_EQ(missing.on_packet(3, t0), MissingPackets::Arrival::Stale);  // twice: a duplicate
    EXPECT_EQ(due(missing, t0), (std::vector<std::uint16_t>{2}));
    EXPECT_EQ(missing.on_packet(2, t0), MissingPackets::Arrival::Filled);
    EXPECT_EQ(missing.size(), 0U);
}

TEST(MissingPackets, GapsAcrossTheWrapAreFound) {
    MissingPackets missing;
    missing.on_packet(65534, t0);
    missing.on_packet(1, t0);
    EXPECT_EQ(due(missing, t0), (std::vector<std::uint16_t>{65535, 0}));
}

TEST(MissingPackets, GivesUpAfterMaxAttemptsOrMaxAge) {
    MissingPackets missing;
    missing.on_packet(1, t0);
    missing.on_packet(3, t0);
    for (int i = 0; i < MissingPackets::max_attempts; ++i)
        EXPECT_EQ(due(missing, t0 + milliseconds(i), milliseconds(0)).size(), 1U);
    EXPECT_TRUE(due(missing, t0 + milliseconds(20), milliseconds(0)).empty());
    EXPECT_EQ(missing.size(), 0U);
    EXPECT_EQ(missing.abandoned(), 1U);

    missing.on_packet(5, t0);
    EXPECT_TRUE(due(missing, t0 + MissingPackets::max_age + milliseconds(1)).empty());
    EXPECT_EQ(missing.abandoned(), 2U);
}

TEST(MissingPackets, AJumpTooFarIsANewNumberingNotALoss) {
    MissingPackets missing;
    missing.on_packet(100, t0);
    missing.on_packet(102, t0);
    missing.on_packet(30000, t0);
    EXPECT_EQ(missing.size(), 0U);
    missing.on_packet(30002, t0);
    EXPECT_EQ(due(missing, t0), (std::vector<std::uint16_t>{30001}));
}

TEST(MissingPackets, KeepsTheNewestWhenFull) {
    MissingPackets missing;
    missing.on_packet(0, t0);
    missing.on_packet(MissingPackets::capacity + 2, t0);  // capacity + 1 missing
    EXPECT_EQ(missing.size(), MissingPackets::capacity);
    EXPECT_EQ(missing.abandoned(), 1U);
    const auto asked = due(missing, t0);
    ASSERT_FALSE(asked.empty());
    EXPECT_EQ(asked.front(), 2U);  // 1 was pushed out
}

TEST(MissingPackets, ALatePacketBehindTheHighestIsNotAGap) {
    MissingPackets missing;
    missing.on_packet(10, t0);
    missing.on_packet(11, t0);
    EXPECT_EQ(missing.on_packet(5, t0), MissingPackets::Arrival::Stale);
    EXPECT_EQ(missing.size(), 0U);
    EXPECT_EQ(missing.on_packet(12, t0), MissingPackets::Arrival::Newest);
}

}  // namespace
}  // namespace vg::rtc::room
