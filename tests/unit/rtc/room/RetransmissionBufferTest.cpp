#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "rtc/room/RetransmissionBuffer.hpp"

namespace vg::rtc::room {
namespace {

using Clock = RetransmissionBuffer::Clock;
using std::chrono::milliseconds;

const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(1);

std::vector<std::uint8_t> packet(std::uint8_t fill, std::size_t size = 100) {
    return std::vector<std::uint8_t>(size, fill);
}

TEST(RetransmissionBuffer, ResendsAPacketOncePerIntervalWhateverTheNacks) {
    RetransmissionBuffer buffer(16);
    buffer.store(7, packet(1), t0);
    EXPECT_TRUE(buffer.resend_due(7, t0, milliseconds(80)));
    EXPECT_FALSE(buffer.resend_due(7, t0 + milliseconds(30), milliseconds(80)));
    EXPECT_FALSE(buffer.resend_due(7, t0 + milliseconds(79), milliseconds(80)));
    EXPECT_TRUE(buffer.resend_due(7, t0 + milliseconds(80), milliseconds(80)));
    EXPECT_FALSE(buffer.resend_due(8, t0, milliseconds(80)));  // never sent
    // The slot taken by a newer packet starts afresh.
    buffer.store(23, packet(2), t0 + milliseconds(90));
    EXPECT_TRUE(buffer.resend_due(23, t0 + milliseconds(91), milliseconds(80)));
    EXPECT_FALSE(buffer.resend_due(7, t0 + milliseconds(200), milliseconds(80)));
}

TEST(RetransmissionBuffer, GivesBackThePacketSentWithASequenceNumber) {
    RetransmissionBuffer buffer(16);
    buffer.store(65535, packet(1), t0);
    buffer.store(0, packet(2, 200), t0);
    const auto found = buffer.find(0, t0);
    ASSERT_EQ(found.size(), 200U);
    EXPECT_EQ(found[0], 2);
    EXPECT_EQ(buffer.find(65535, t0)[0], 1);
    EXPECT_TRUE(buffer.find(1, t0).empty());  // never sent
}

TEST(RetransmissionBuffer, ForgetsWhatIsOlderThanMaxAge) {
    RetransmissionBuffer buffer(16);
    buffer.store(7, packet(1), t0);
    EXPECT_FALSE(buffer.find(7, t0 + RetransmissionBuffer::max_age).empty());
    EXPECT_TRUE(buffer.find(7, t0 + RetransmissionBuffer::max_age + milliseconds(1)).empty());
}

TEST(RetransmissionBuffer, ANewerPacketTakesTheSlotOfOneSlotsBehind) {
    RetransmissionBuffer buffer(16);
    buffer.store(3, packet(1), t0);
    buffer.store(3 + 16, packet(2), t0);
    EXPECT_TRUE(buffer.find(3, t0).empty());
    EXPECT_EQ(buffer.find(3 + 16, t0)[0], 2);
}

TEST(RetransmissionBuffer, DoesNotKeepOversizedPacketsNorAnswerWithTheOldOne) {
    RetransmissionBuffer buffer(16);
    buffer.store(5, packet(1), t0);
    buffer.store(5 + 16, packet(2, RetransmissionBuffer::max_packet + 1), t0);
    EXPECT_TRUE(buffer.find(5, t0).empty());
    EXPECT_TRUE(buffer.find(5 + 16, t0).empty());
}

TEST(RetransmissionBuffer, ClearEmptiesIt) {
    RetransmissionBuffer buffer(16);
    buffer.store(5, packet(1), t0);
    buffer.clear();
    EXPECT_TRUE(buffer.find(5, t0).empty());
}

TEST(RetransmissionBuffer, SlotsMustBeAPowerOfTwo) {
    EXPECT_THROW(RetransmissionBuffer(0), std::invalid_argument);
    EXPECT_THROW(RetransmissionBuffer(100), std::invalid_argument);
}

}  // namespace
}  // namespace vg::rtc::room
