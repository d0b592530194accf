#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "rtc/rtcp/CompoundPacket.hpp"
#include "rtc/rtcp/FeedbackPacket.hpp"
#include "rtc/rtcp/Nack.hpp"
#include "rtc/rtcp/ReceiverReport.hpp"
#include "rtc/rtcp/Remb.hpp"
#include "rtc/rtcp/Sdes.hpp"
#include "rtc/rtcp/SenderReport.hpp"
#include "rtc/rtcp/Writer.hpp"
#include "unit/rtc/stun/Hex.hpp"

namespace vg::rtc::rtcp {
namespace {

TEST(RtcpWriter, WritesAPliByteForByte) {
    std::array<uint8_t, 12> buffer{};
    Writer w(buffer);
    ASSERT_TRUE(w.add_pli(0x11111111, 0x22222222));
    const auto expected = test::hex("81 ce 00 02 11 11 11 11 22 22 22 22");
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), buffer.begin()));
    EXPECT_FALSE(w.add_pli(1, 2));  // no room left
    EXPECT_EQ(w.size(), 12U);
}

TEST(RtcpWriter, WritesAFirByteForByte) {
    std::array<uint8_t, 20> buffer{};
    Writer w(buffer);
    ASSERT_TRUE(w.add_fir(0x11111111, 0x22222222, 7));
    const auto expected = test::hex("84 ce 00 04 11 11 11 11 00 00 00 00 22 22 22 22 07 00 00 00");
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), buffer.begin()));
}

TEST(RtcpWriter, PacksNackItemsAndTheParserRecoversTheLostSequenceNumbers) {
    std::array<uint8_t, 100> buffer{};
    Writer w(buffer);
    const std::vector<uint16_t> lost = {65534, 65535, 0, 3, 17, 18, 40};
    ASSERT_TRUE(w.add_nack(1, 2, lost));
    const auto nack = Nack::parse(*FeedbackPacket::parse(*Packet::parse(w.bytes())));
    ASSERT_TRUE(nack);
    EXPECT_EQ(nack->item_count(), 3U);  // 65534+{65535,0,3,17}, 18, 40
    std::vector<uint16_t> recovered;
    nack->for_each_lost([&](uint16_t seq) { recovered.push_back(seq); });
    EXPECT_EQ(recovered, lost);
}

TEST(RtcpWriter, SenderAndReceiverReportsRoundTrip) {
    std::array<uint8_t, 200> buffer{};
    Writer w(buffer);
    SenderInfo info{0x1234, 0x0102030405060708ULL, 90000, 10, 12000};
    ReportBlock block{0x5678, 25, -5, 70000, 12, 0xAABBCCDD, 65536};
    ASSERT_TRUE(w.add_sender_report(info, std::span(&block, 1)));
    ASSERT_TRUE(w.add_receiver_report(0x9999, std::span(&block, 1)));
    ASSERT_TRUE(CompoundPacket::validate(w.bytes()));
    CompoundPacket compound(w.bytes());
    const auto sr = SenderReport::parse(*compound.next());
    ASSERT_TRUE(sr);
    EXPECT_EQ(sr->info().ntp_timestamp, info.ntp_timestamp);
    EXPECT_EQ(sr->info().octet_count, 12000U);
    EXPECT_EQ(sr->report(0), block);
    const auto rr = ReceiverReport::parse(*compound.next());
    ASSERT_TRUE(rr);
    EXPECT_EQ(rr->ssrc(), 0x9999U);
    EXPECT_EQ(rr->report(0), block);
}

TEST(RtcpWriter, AReceiverReportWithItsCnameIsACompoundPacketTheParserReads) {
    std::array<uint8_t, 100> buffer{};
    Writer w(buffer);
    ReportBlock block;
    block.ssrc = 0x22222222;
    block.cumulative_lost = 3;
    ASSERT_TRUE(w.add_receiver_report(0x11111111, {&block, 1}));
    ASSERT_TRUE(w.add_sdes_cname(0x11111111, "vg-12345"));
    // 6 bytes of item + "vg-12345" + one zero octet at least, to a 32-bit boundary.
    EXPECT_EQ(w.size(), 8U + 24U + 4U + 4U + 12U);
    CompoundPacket compound(w.bytes());
    const auto rr = compound.next();
    ASSERT_TRUE(rr);
    const auto report = ReceiverReport::parse(*rr);
    ASSERT_TRUE(report);
    EXPECT_EQ(report->report(0), block);
    const auto sdes_packet = compound.next();
    ASSERT_TRUE(sdes_packet);
    const auto sdes = Sdes::parse(*sdes_packet);
    ASSERT_TRUE(sdes);
    int items = 0;
    sdes->for_each_item([&](const SdesItem& item) {
        ++items;
        EXPECT_EQ(item.ssrc, 0x11111111U);
        EXPECT_EQ(item.type, Sdes::kCname);
        EXPECT_EQ(item.text, "vg-12345");
    });
    EXPECT_EQ(items, 1);
    EXPECT_FALSE(compound.next());
}

TEST(RtcpWriter, RembKeepsTheBitrateWithinMantissaPrecision) {
    std::array<uint8_t, 100> buffer{};
    Writer w(buffer);
    const std::array<uint32_t, 1> ssrcs = {3};
    ASSERT_TRUE(w.add_remb(1, 123456789, ssrcs));
    const auto remb = Remb::parse(*FeedbackPacket::parse(*Packet::parse(w.bytes())));
    ASSERT_TRUE(remb);
    EXPECT_LE(remb->bitrate(), 123456789U);
    EXPECT_GT(remb->bitrate(), 123456789U - 1024U);
}

}  // namespace
}  // namespace vg::rtc::rtcp
