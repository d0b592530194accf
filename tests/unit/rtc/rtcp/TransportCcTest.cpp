#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <vector>

#include "rtc/rtcp/FeedbackPacket.hpp"
#include "rtc/rtcp/Packet.hpp"
#include "rtc/rtcp/TransportCc.hpp"
#include "rtc/transport/TransportCcFeedback.hpp"

namespace vg::rtc::rtcp {
namespace {

using namespace std::chrono_literals;
using Status = TransportCc::PacketStatus;

// A transport-cc feedback packet: header, the fixed fields, then chunks and deltas as given.
std::vector<std::uint8_t> feedback(std::uint16_t base, std::uint16_t count, std::uint32_t reference,
                                   const std::vector<std::uint8_t>& body) {
    std::vector<std::uint8_t> bytes = {0x80 | 15,
                                       205,
                                       0,
                                       0,
                                       0,
                                       0,
                                       0,
                                       1,
                                       0,
                                       0,
                                       0,
                                       2,
                                       static_cast<std::uint8_t>(base >> 8),
                                       static_cast<std::uint8_t>(base),
                                       static_cast<std::uint8_t>(count >> 8),
                                       static_cast<std::uint8_t>(count),
                                       static_cast<std::uint8_t>(reference >> 16),
                                       static_cast<std::uint8_t>(reference >> 8),
                                       static_cast<std::uint8_t>(reference),
                                       7};
    for (const std::uint8_t byte : body) bytes.push_back(byte);
    while (bytes.size() % 4 != 0) bytes.push_back(0);
    bytes[3] = static_cast<std::uint8_t>(bytes.size() / 4 - 1);
    return bytes;
}

std::optional<TransportCc> parse(std::vector<std::uint8_t>& bytes) {
    const auto packet = Packet::parse(bytes);
    const auto fb = packet ? FeedbackPacket::parse(*packet) : std::nullopt;
    return fb ? TransportCc::parse(*fb) : std::nullopt;
}

TEST(TransportCc, ReadsWhatOurFeedbackWriterWrote) {
    transport::TransportCcFeedback writer;
    const auto start = std::chrono::steady_clock::now();
    writer.on_packet(100, start);
    writer.on_packet(101, start + 1ms);
    writer.on_packet(103, start + 100ms);  // 102 lost; 99 ms is a two-byte delta
    std::vector<std::uint8_t> bytes(1200);
    bytes.resize(writer.write(bytes.data(), bytes.size(), 1, 2));
    const auto parsed = parse(bytes);
    ASSERT_TRUE(parsed);
    std::array<Status, 8> statuses{};
    ASSERT_TRUE(parsed->statuses(statuses));
    EXPECT_EQ(statuses[0].sequence, 100);
    EXPECT_TRUE(statuses[0].received);
    EXPECT_TRUE(statuses[1].received);
    EXPECT_EQ(statuses[1].arrival_us - statuses[0].arrival_us, 1000);
    EXPECT_EQ(statuses[2].sequence, 102);
    EXPECT_FALSE(statuses[2].received);
    EXPECT_EQ(statuses[3].sequence, 103);
    EXPECT_TRUE(statuses[3].received);
    EXPECT_EQ(statuses[3].arrival_us - statuses[0].arrival_us, 100000);
}

TEST(TransportCc, ReadsRunLengthAndOneBitChunksAsChromiumWritesThem) {
    // 65534..65536+2: a run of 3 received (small deltas), then a one-bit vector of 14: lost,
    // received, then 12 past the status count.
    auto bytes = feedback(65534, 5, 0x000010,
                          {0x20, 0x03,         // run: symbol 1, length 3
                           0x80 | 0x10, 0x00,  // vector, one-bit: 0 1 0 0 ...
                           4, 8, 0});          // deltas: 1 ms, 2 ms, 0
    const auto parsed = parse(bytes);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->reference_time(), 16);
    std::array<Status, 5> statuses{};
    ASSERT_TRUE(parsed->statuses(statuses));
    EXPECT_EQ(statuses[0].sequence, 65534);
    EXPECT_EQ(statuses[2].sequence, 0);  // wrapped
    EXPECT_EQ(statuses[0].arrival_us, 1000);
    EXPECT_EQ(statuses[1].arrival_us, 3000);
    EXPECT_EQ(statuses[2].arrival_us, 3000);
    EXPECT_FALSE(statuses[3].received);
    EXPECT_TRUE(statuses[4].received);
    EXPECT_EQ(statuses[4].arrival_us, 3000);  // the padding zero is its delta
}

TEST(TransportCc, ANegativeLargeDeltaGoesBackInTime) {
    // Two-bit vector: large, large; +10 ms then -4 ms.
    auto bytes = feedback(7, 2, 1, {0xc0 | 0x20 | 0x08, 0x00, 0x00, 40, 0xff, 0xf0});
    const auto parsed = parse(bytes);
    ASSERT_TRUE(parsed);
    std::array<Status, 2> statuses{};
    ASSERT_TRUE(parsed->statuses(statuses));
    EXPECT_EQ(statuses[0].arrival_us, 10000);
    EXPECT_EQ(statuses[1].arrival_us, 6000);
}

TEST(TransportCc, RefusesCutShortReservedOrTooManyStatuses) {
    std::array<Status, 4> statuses{};
    auto no_deltas = feedback(1, 3, 0, {0x20, 0x03});  // three received, padding gives only two
    ASSERT_TRUE(parse(no_deltas));
    EXPECT_FALSE(parse(no_deltas)->statuses(statuses));
    auto no_chunks = feedback(1, 40, 0, {0x20, 0x03});
    EXPECT_FALSE(parse(no_chunks)->statuses(statuses));
    auto reserved = feedback(1, 1, 0, {0x60, 0x01, 4, 0});  // run of symbol 3
    EXPECT_FALSE(parse(reserved)->statuses(statuses));
    auto too_many = feedback(1, 5, 0, {0x00, 0x05});  // five lost: more than fit
    EXPECT_FALSE(parse(too_many)->statuses(statuses));
    auto fits = feedback(1, 4, 0, {0x00, 0x04});
    EXPECT_TRUE(parse(fits)->statuses(statuses));
    EXPECT_FALSE(statuses[3].received);
}

}  // namespace
}  // namespace vg::rtc::rtcp
