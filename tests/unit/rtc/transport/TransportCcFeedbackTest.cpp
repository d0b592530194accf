#include <gtest/gtest.h>

#include <vector>

#include "rtc/rtcp/FeedbackPacket.hpp"
#include "rtc/rtcp/Packet.hpp"
#include "rtc/rtcp/TransportCc.hpp"
#include "rtc/transport/TransportCcFeedback.hpp"

namespace vg::rtc::transport {
namespace {

using namespace std::chrono_literals;
using Clock = TransportCcFeedback::Clock;

std::optional<rtcp::TransportCc> parse(std::vector<std::uint8_t>& bytes) {
    const auto packet = rtcp::Packet::parse(bytes);
    if (!packet) return std::nullopt;
    const auto feedback = rtcp::FeedbackPacket::parse(*packet);
    if (!feedback) return std::nullopt;
    return rtcp::TransportCc::parse(*feedback);
}

TEST(TransportCcFeedback, DescribesArrivalsLossesAndLargeDeltas) {
    TransportCcFeedback feedback;
    const auto start = Clock::now();
    feedback.on_packet(100, start);
    feedback.on_packet(101, start + 1ms);
    // 102 is lost
    feedback.on_packet(103, start + 100ms);
    ASSERT_TRUE(feedback.has_pending());

    std::vector<std::uint8_t> out(1200);
    const std::size_t size = feedback.write(out.data(), out.size(), 0x11, 0x22);
    ASSERT_EQ(size, 28u);  // 20 header + 1 chunk + deltas 1 + 1 + 2, padded to 4
    out.resize(size);
    EXPECT_EQ(out[0], 0x80 | 0x20 | 15);
    EXPECT_EQ(out[1], 205);
    EXPECT_EQ(out[27], 2);  // padding count
    const auto parsed = parse(out);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->sender_ssrc(), 0x11u);
    EXPECT_EQ(parsed->media_ssrc(), 0x22u);
    EXPECT_EQ(parsed->base_sequence(), 100);
    EXPECT_EQ(parsed->status_count(), 4);
    EXPECT_EQ(parsed->feedback_count(), 0);
    // Two-bit status vector: small, small, not received, large.
    EXPECT_EQ(out[20], 0xc0 | 0x10 | 0x04);
    EXPECT_EQ(out[21], 0x80);
    EXPECT_EQ(out[22], 0);                   // first arrival is the reference time (within 250 µs)
    EXPECT_EQ(out[23], 4);                   // 1 ms
    EXPECT_EQ(out[24] << 8 | out[25], 396);  // 99 ms in 250 µs units

    EXPECT_FALSE(feedback.has_pending());
    std::vector<std::uint8_t> again(1200);
    EXPECT_EQ(feedback.write(again.data(), again.size(), 0x11, 0x22), 0u);
}

TEST(TransportCcFeedback, FollowsTheSequenceAcrossTheWrapAndCountsFeedbacks) {
    TransportCcFeedback feedback;
    const auto start = Clock::now();
    feedback.on_packet(65534, start);
    std::vector<std::uint8_t> out(1200);
    ASSERT_GT(feedback.write(out.data(), out.size(), 1, 2), 0u);
    feedback.on_packet(65535, start + 5ms);
    feedback.on_packet(0, start + 10ms);
    feedback.on_packet(1, start + 15ms);
    feedback.on_packet(65533, start + 16ms);  // already reported: ignored
    const std::size_t size = feedback.write(out.data(), out.size(), 1, 2);
    out.resize(size);
    const auto parsed = parse(out);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->base_sequence(), 65535);
    EXPECT_EQ(parsed->status_count(), 3);
    EXPECT_EQ(parsed->feedback_count(), 1);
}

TEST(TransportCcFeedback, LongGapKeepsTheLatestWindow) {
    TransportCcFeedback feedback;
    const auto start = Clock::now();
    feedback.on_packet(10, start);
    feedback.on_packet(10 + 2000, start + 1ms);
    std::vector<std::uint8_t> out(1200);
    const std::size_t size = feedback.write(out.data(), out.size(), 1, 2);
    ASSERT_GT(size, 0u);
    out.resize(size);
    const auto parsed = parse(out);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->base_sequence(), 2010 - TransportCcFeedback::window + 1);
    EXPECT_EQ(parsed->status_count(), TransportCcFeedback::window);
}

TEST(TransportCcFeedback, StopsAtTheBufferAndReportsTheRestNextTime) {
    TransportCcFeedback feedback;
    const auto start = Clock::now();
    for (std::uint16_t i = 0; i < 300; ++i) feedback.on_packet(i, start + i * 1ms);
    std::vector<std::uint8_t> out(100);
    const std::size_t first = feedback.write(out.data(), out.size(), 1, 2);
    ASSERT_GT(first, 0u);
    EXPECT_LE(first, 100u);
    out.resize(first);
    const auto parsed = parse(out);
    ASSERT_TRUE(parsed);
    const std::uint16_t reported = parsed->status_count();
    EXPECT_LT(reported, 300);
    EXPECT_TRUE(feedback.has_pending());
    std::vector<std::uint8_t> rest(1200);
    rest.resize(feedback.write(rest.data(), rest.size(), 1, 2));
    const auto second = parse(rest);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->base_sequence(), reported);
    EXPECT_EQ(second->status_count(), 300 - reported);
}

}  // namespace
}  // namespace vg::rtc::transport
