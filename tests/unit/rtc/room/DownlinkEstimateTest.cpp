#include <gtest/gtest.h>

#include <array>
#include <deque>
#include <random>
#include <vector>

#include "rtc/room/DownlinkEstimate.hpp"
#include "rtc/rtcp/FeedbackPacket.hpp"
#include "rtc/rtcp/Packet.hpp"
#include "rtc/rtp/ByteOrder.hpp"
#include "rtc/transport/TransportCcFeedback.hpp"

namespace vg::rtc::room {
namespace {

using namespace std::chrono_literals;
using Clock = DownlinkEstimate::Clock;
constexpr std::uint8_t transport_cc_id = 3;
constexpr std::size_t packet_size = 1000;

// A sender that wants `wanted` bits per second and obeys the estimate (as a browser obeys our
// REMB, looked at every 100 ms), through our estimate, over a link to a receiver whose browser
// sends transport-cc feedback every 50 ms (written by our own feedback writer). The link
// carries `capacity` bits per second behind a queue of at most `queue`; above that, packets
// are dropped (0: a policer, no queue at all); and it loses `loss` of them at random.
struct Call {
    DownlinkEstimate estimate;
    transport::TransportCcFeedback receiver;
    Clock::time_point now = Clock::time_point{} + std::chrono::hours(1);
    std::uint64_t wanted = 1'500'000;
    std::uint64_t capacity = 100'000'000;
    Clock::duration queue = 250ms;
    double loss = 0;
    Clock::duration path_delay = 5ms;
    std::mt19937 random{7};

    std::uint64_t rate = wanted;  // what the sender sends now
    double budget = 0;            // bytes the sender may send
    Clock::time_point link_free = now;
    std::deque<std::pair<Clock::time_point, std::uint16_t>> in_flight;  // arrival, sequence
    std::array<std::uint8_t, packet_size> packet{};
    std::uint64_t sent_bytes = 0;

    Call() {
        packet[0] = 0x90;  // version 2, extension
        packet[1] = 96;
        rtp::write16(packet.data() + 12, 0xBEDE);
        rtp::write16(packet.data() + 14, 1);
        packet[16] = transport_cc_id << 4 | 1;  // two bytes
    }

    // Runs the call for a while; returns the bits per second the sender sent meanwhile.
    double run(Clock::duration duration) {
        const auto end = now + duration;
        const auto start_bytes = sent_bytes;
        std::uniform_real_distribution<double> chance(0, 1);
        for (int ms = 1; now < end; ++ms) {
            now += 1ms;
            if (ms % 100 == 0)
                rate = estimate.known() ? std::min(wanted, estimate.bitrate()) : wanted;
            budget += static_cast<double>(rate) / 8 / 1000;
            for (; budget >= packet_size; budget -= packet_size) {
                auto parsed = rtp::RtpPacket::parse(packet);
                estimate.on_sent(*parsed, transport_cc_id, now);
                sent_bytes += packet_size;
                const std::uint16_t sequence = rtp::read16(packet.data() + 17);
                // Serialised behind what is queued, unless the queue is full.
                const auto serialise = std::chrono::nanoseconds(static_cast<std::int64_t>(
                    packet_size * 8 * 1e9 / static_cast<double>(capacity)));
                const auto begin = std::max(now, link_free);
                if (begin - now > queue || chance(random) < loss) continue;
                link_free = begin + serialise;
                in_flight.emplace_back(link_free + path_delay, sequence);
            }
            while (!in_flight.empty() && in_flight.front().first <= now) {
                receiver.on_packet(in_flight.front().second, in_flight.front().first);
                in_flight.pop_front();
            }
            if (ms % 50 == 0) send_feedback();
        }
        return static_cast<double>(sent_bytes - start_bytes) * 8 /
               std::chrono::duration<double>(duration).count();
    }

    void send_feedback() {
        std::vector<std::uint8_t> bytes(1500);
        bytes.resize(receiver.write(bytes.data(), bytes.size(), 1, 2));
        if (bytes.empty()) return;
        const auto rtcp_packet = rtcp::Packet::parse(bytes);
        const auto feedback = rtcp::FeedbackPacket::parse(*rtcp_packet);
        estimate.on_feedback(*rtcp::TransportCc::parse(*feedback), now);
    }
};

TEST(DownlinkEstimate, AFastLinkLimitsNobody) {
    Call call;
    EXPECT_NEAR(call.run(20s), 1'500'000, 20'000);
    EXPECT_FALSE(call.estimate.known());
}

TEST(DownlinkEstimate, AQueueInFrontOfASlowLinkSlowsTheSenderDownToIt) {
    Call call;
    call.run(5s);
    call.capacity = 300'000;
    const double first = call.run(5s);
    EXPECT_TRUE(call.estimate.known());
    const double settled = call.run(10s);
    EXPECT_LT(first, 700'000);
    // Near the link's rate: neither flooding its queue nor starving the call.
    EXPECT_LT(settled, 330'000);
    EXPECT_GT(settled, 200'000);
}

TEST(DownlinkEstimate, APolicerThatOnlyDropsSlowsTheSenderDownToo) {
    Call call;
    call.run(5s);
    call.capacity = 300'000;
    call.queue = 0ms;
    // Loss is counted over hundreds of packets: slower to see than a queue.
    call.run(20s);
    const double settled = call.run(10s);
    EXPECT_LT(settled, 340'000);
    EXPECT_GT(settled, 200'000);
}

TEST(DownlinkEstimate, APathThatGetsLongerCutsOnceAtMost) {
    Call call;
    call.run(5s);
    call.path_delay = 65ms;  // 60 ms more, from now on: the queue never drains
    const double after_step = call.run(5s);
    EXPECT_GT(after_step, 1'500'000 * 0.8);
    EXPECT_NEAR(call.run(5s), 1'500'000, 20'000);
}

TEST(DownlinkEstimate, RandomLossOfAFewPercentIsNotCongestion) {
    Call call;
    call.loss = 0.05;
    EXPECT_NEAR(call.run(30s), 1'500'000, 20'000);
    EXPECT_FALSE(call.estimate.known());
}

TEST(DownlinkEstimate, TheSenderGetsItsRateBackOnceTheLinkIsFastAgain) {
    Call call;
    call.capacity = 300'000;
    call.run(10s);
    ASSERT_LT(call.estimate.bitrate(), 400'000u);
    call.capacity = 100'000'000;
    call.run(5s);
    EXPECT_GT(call.run(1s), 1'400'000);
}

TEST(DownlinkEstimate, AReceiverRembLimitsToo) {
    Call call;
    call.estimate.on_remb(400'000);
    EXPECT_TRUE(call.estimate.known());
    call.run(1s);
    EXPECT_NEAR(call.run(5s), 400'000, 10'000);
    call.estimate.on_remb(10);
    EXPECT_EQ(call.estimate.bitrate(), DownlinkEstimate::min_bitrate);
}

TEST(DownlinkEstimate, FeedbackOnPacketsItNeverSentChangesNothing) {
    Call call;
    call.run(1s);
    // Lost and late: numbers far from any we sent.
    for (std::uint16_t sequence = 30000; sequence < 30400; ++sequence)
        call.receiver.on_packet(sequence, call.now + 900ms);
    call.send_feedback();
    EXPECT_NEAR(call.run(5s), 1'500'000, 20'000);
    EXPECT_FALSE(call.estimate.known());
}

}  // namespace
}  // namespace vg::rtc::room
