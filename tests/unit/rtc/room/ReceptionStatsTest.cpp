#include <gtest/gtest.h>

#include "rtc/room/ReceptionStats.hpp"

namespace vg::rtc::room {
namespace {

using Clock = ReceptionStats::Clock;
using std::chrono::microseconds;
using std::chrono::milliseconds;

// Audio at 48 kHz, one packet per 20 ms (960 timestamp units), arriving on time unless told.
struct AudioStream {
    ReceptionStats stats{48000};
    Clock::time_point start = Clock::time_point{} + std::chrono::hours(1);

    AudioStream() { stats.reset(0x1234, 48000); }
    void receive(std::uint16_t sequence, int frame, microseconds late = {}, bool rtx = false) {
        stats.on_packet(sequence, 1000 + static_cast<std::uint32_t>(frame) * 960, 100,
                        start + milliseconds(20) * frame + late, rtx);
    }
};

TEST(ReceptionStats, CountsLossAsExpectedMinusReceived) {
    AudioStream stream;
    for (int i = 0; i < 10; ++i)
        if (i != 3 && i != 7) stream.receive(static_cast<std::uint16_t>(100 + i), i);
    EXPECT_EQ(stream.stats.packets(), 8U);
    EXPECT_EQ(stream.stats.bytes(), 800U);
    EXPECT_EQ(stream.stats.expected(), 10);
    EXPECT_EQ(stream.stats.lost(), 2);
    const auto block = stream.stats.report(stream.start + std::chrono::seconds(1));
    EXPECT_EQ(block.ssrc, 0x1234U);
    EXPECT_EQ(block.cumulative_lost, 2);
    EXPECT_EQ(block.fraction_lost, 2 * 256 / 10);
    EXPECT_EQ(block.highest_sequence, 109U);
}

TEST(ReceptionStats, FractionLostCoversOnlyTheIntervalSinceTheLastReport) {
    AudioStream stream;
    for (int i = 0; i < 4; ++i)
        if (i != 1) stream.receive(static_cast<std::uint16_t>(i), i);
    EXPECT_EQ(stream.stats.report(stream.start).fraction_lost, 64);  // 1 of 4
    for (int i = 4; i < 8; ++i) stream.receive(static_cast<std::uint16_t>(i), i);
    const auto second = stream.stats.report(stream.start);
    EXPECT_EQ(second.fraction_lost, 0);
    EXPECT_EQ(second.cumulative_lost, 1);
}

TEST(ReceptionStats, ExtendsTheSequenceNumberAcrossTheWrap) {
    AudioStream stream;
    int frame = 0;
    for (std::uint16_t sequence = 65530; sequence != 5; ++sequence)
        if (sequence != 65535) stream.receive(sequence, frame++);
    // 65530..65534 and 0..4: 11 expected, 65535 lost; highest is 4 in the second cycle.
    EXPECT_EQ(stream.stats.extended_highest(), 65536U + 4U);
    EXPECT_EQ(stream.stats.expected(), 11);
    EXPECT_EQ(stream.stats.lost(), 1);
}

TEST(ReceptionStats, AReorderedPacketIsNotALossAndDoesNotMoveTheHighest) {
    AudioStream stream;
    stream.receive(10, 0);
    stream.receive(12, 2);
    stream.receive(11, 1, milliseconds(25));  // late, behind 12
    stream.receive(13, 3);
    EXPECT_EQ(stream.stats.lost(), 0);
    EXPECT_EQ(stream.stats.extended_highest(), 13U);
    EXPECT_EQ(stream.stats.jitter(), 0U);  // the late one's transit is not counted
}

TEST(ReceptionStats, ARecoveredPacketFillsTheGapWithoutTouchingJitter) {
    AudioStream stream;
    stream.receive(1, 0);
    stream.receive(3, 2);
    EXPECT_EQ(stream.stats.lost(), 1);
    stream.receive(2, 1, milliseconds(300), true);
    EXPECT_EQ(stream.stats.lost(), 0);
    EXPECT_EQ(stream.stats.recovered(), 1U);
    EXPECT_EQ(stream.stats.jitter(), 0U);
}

TEST(ReceptionStats, JitterFollowsRfc3550) {
    AudioStream stream;
    for (int i = 0; i < 5; ++i) stream.receive(static_cast<std::uint16_t>(i), i);
    EXPECT_EQ(stream.stats.jitter(), 0U);  // constant transit
    // 10 ms late is 480 units: J = 480/16 = 30, then J += (480 - J)/16 = 58.1 on the way back.
    stream.receive(5, 5, milliseconds(10));
    EXPECT_EQ(stream.stats.jitter(), 30U);
    stream.receive(6, 6);
    EXPECT_EQ(stream.stats.jitter(), 58U);
    EXPECT_NEAR(stream.stats.jitter_seconds(), 58.0 / 48000, 1e-9);
    EXPECT_EQ(stream.stats.report(stream.start).jitter, 58U);
}

TEST(ReceptionStats, ANewNumberingStartsOver) {
    AudioStream stream;
    stream.receive(100, 0);
    stream.receive(101, 1);
    stream.receive(40000, 2);  // far jump: the sender restarted
    stream.receive(40001, 3);
    EXPECT_EQ(stream.stats.lost(), 0);
    EXPECT_EQ(stream.stats.packets(), 2U);
    EXPECT_EQ(stream.stats.extended_highest(), 40001U);
}

TEST(ReceptionStats, ReportsTheLastSenderReportAndTheDelaySince) {
    AudioStream stream;
    stream.receive(1, 0);
    EXPECT_EQ(stream.stats.report(stream.start).last_sender_report, 0U);  // none yet
    const std::uint64_t ntp = 0x1122334455667788ULL;
    stream.stats.on_sender_report(ntp, stream.start);
    const auto block = stream.stats.report(stream.start + milliseconds(500));
    EXPECT_EQ(block.last_sender_report, 0x33445566U);
    EXPECT_EQ(block.delay_since_last_sender_report, 65536U / 2);  // 1/65536 s units
}

TEST(ReceptionStats, DuplicatesCanMakeLossNegativeAsRfc3550Says) {
    AudioStream stream;
    stream.receive(1, 0);
    stream.receive(2, 1);
    stream.receive(2, 1);
    EXPECT_EQ(stream.stats.lost(), -1);
    EXPECT_EQ(stream.stats.report(stream.start).fraction_lost, 0);
}

}  // namespace
}  // namespace vg::rtc::room
