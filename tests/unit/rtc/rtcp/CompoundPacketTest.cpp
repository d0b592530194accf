#include <gtest/gtest.h>

#include <array>
#include <map>
#include <vector>

#include "rtc/rtcp/Bye.hpp"
#include "rtc/rtcp/CompoundPacket.hpp"
#include "rtc/rtcp/FeedbackPacket.hpp"
#include "rtc/rtcp/Fir.hpp"
#include "rtc/rtcp/Nack.hpp"
#include "rtc/rtcp/ReceiverReport.hpp"
#include "rtc/rtcp/Remb.hpp"
#include "rtc/rtcp/Sdes.hpp"
#include "rtc/rtcp/SenderReport.hpp"
#include "rtc/rtcp/TransportCc.hpp"
#include "rtc/rtcp/Writer.hpp"
#include "unit/rtc/stun/Hex.hpp"

namespace vg::rtc::rtcp {
namespace {

using test::hex;

TEST(RtcpCompoundPacket, IteratesASenderReportWithSdesAsBrowsersSendIt) {
    // SR from SSRC 0x11111111 with one report block about 0x22222222, then SDES CNAME "abc".
    auto data =
        hex("81 c8 00 0c 11 11 11 11 e5 4b 2c 7f 12 34 56 78 00 01 e2 40 00 00 00 64 00 00 4e 20"
            "22 22 22 22 0a ff ff fe 00 00 12 34 00 00 00 05 2c 7f 12 34 00 00 10 00"
            "81 ca 00 03 11 11 11 11 01 03 61 62 63 00 00 00");
    ASSERT_TRUE(CompoundPacket::validate(data));
    CompoundPacket compound(data);

    const auto first = compound.next();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->type(), PacketType::SenderReport);
    const auto sr = SenderReport::parse(*first);
    ASSERT_TRUE(sr);
    EXPECT_EQ(sr->info().ssrc, 0x11111111U);
    EXPECT_EQ(sr->info().ntp_timestamp, 0xe54b2c7f12345678ULL);
    EXPECT_EQ(sr->info().rtp_timestamp, 123456U);
    EXPECT_EQ(sr->info().packet_count, 100U);
    EXPECT_EQ(sr->info().octet_count, 20000U);
    ASSERT_EQ(sr->report_count(), 1U);
    const auto block = sr->report(0);
    EXPECT_EQ(block.ssrc, 0x22222222U);
    EXPECT_EQ(block.fraction_lost, 10);
    EXPECT_EQ(block.cumulative_lost, -2);
    EXPECT_EQ(block.highest_sequence, 0x1234U);
    EXPECT_EQ(block.jitter, 5U);
    EXPECT_EQ(block.last_sender_report, 0x2c7f1234U);
    EXPECT_EQ(block.delay_since_last_sender_report, 0x1000U);

    const auto second = compound.next();
    ASSERT_TRUE(second);
    const auto sdes = Sdes::parse(*second);
    ASSERT_TRUE(sdes);
    std::vector<SdesItem> items;
    sdes->for_each_item([&](const SdesItem& item) { items.push_back(item); });
    ASSERT_EQ(items.size(), 1U);
    EXPECT_EQ(items[0].ssrc, 0x11111111U);
    EXPECT_EQ(items[0].type, Sdes::kCname);
    EXPECT_EQ(items[0].text, "abc");

    EXPECT_FALSE(compound.next());
    EXPECT_FALSE(compound.malformed());
}

TEST(RtcpCompoundPacket, RejectsBadFraming) {
    auto data = hex("81 c9 00 07 11 11 11 11 22 22 22 22 00 00 00 00 00 00 00 00 00 00 00 00");
    EXPECT_FALSE(CompoundPacket::validate(data));  // says 32 bytes, holds 24
    auto version = hex("41 c9 00 01 11 11 11 11");
    EXPECT_FALSE(CompoundPacket::validate(version));
    auto rrTooShort = hex("82 c9 00 01 11 11 11 11");  // RC 2 without blocks
    ASSERT_TRUE(CompoundPacket::validate(rrTooShort));
    EXPECT_FALSE(ReceiverReport::parse(*Packet::parse(rrTooShort)));
    auto badPadding = hex("a0 c9 00 01 11 11 11 09");
    EXPECT_FALSE(CompoundPacket::validate(badPadding));
    auto sdesOverrun = hex("81 ca 00 02 11 11 11 11 01 09 61 62");
    EXPECT_FALSE(Sdes::parse(*Packet::parse(sdesOverrun)));
    std::vector<uint8_t> empty;
    EXPECT_FALSE(CompoundPacket::validate(empty));
}

TEST(RtcpCompoundPacket, ParsesByeWithReason) {
    auto data = hex("82 cb 00 04 11 11 11 11 22 22 22 22 04 64 6f 6e 65 00 00 00");
    const auto bye = Bye::parse(*Packet::parse(data));
    ASSERT_TRUE(bye);
    ASSERT_EQ(bye->ssrc_count(), 2U);
    EXPECT_EQ(bye->ssrc(1), 0x22222222U);
    EXPECT_EQ(bye->reason(), "done");
}

TEST(RtcpCompoundPacket, ParsesTransportCcFixedFields) {
    auto data = hex("8f cd 00 05 11 11 11 11 22 22 22 22 00 0a 00 03 ff ff fe 07 20 03 00 00");
    const auto fb = FeedbackPacket::parse(*Packet::parse(data));
    ASSERT_TRUE(fb);
    const auto tcc = TransportCc::parse(*fb);
    ASSERT_TRUE(tcc);
    EXPECT_EQ(tcc->sender_ssrc(), 0x11111111U);
    EXPECT_EQ(tcc->media_ssrc(), 0x22222222U);
    EXPECT_EQ(tcc->base_sequence(), 10);
    EXPECT_EQ(tcc->status_count(), 3);
    EXPECT_EQ(tcc->reference_time(), -2);
    EXPECT_EQ(tcc->feedback_count(), 7);
    EXPECT_FALSE(Nack::parse(*fb));
}

TEST(RtcpCompoundPacket, ParsesRembAsChromiumSendsIt) {
    // 1 SSRC, exponent 3, mantissa 0x3d090 (250000): 2 Mbit/s.
    auto data = hex("8f ce 00 05 11 11 11 11 00 00 00 00 52 45 4d 42 01 0f d0 90 22 22 22 22");
    const auto fb = FeedbackPacket::parse(*Packet::parse(data));
    ASSERT_TRUE(fb);
    const auto remb = Remb::parse(*fb);
    ASSERT_TRUE(remb);
    EXPECT_EQ(remb->bitrate(), 2000000U);
    ASSERT_EQ(remb->ssrc_count(), 1U);
    EXPECT_EQ(remb->ssrc(0), 0x22222222U);
}

TEST(RtcpCompoundPacket, RewritesMediaSsrcsOfReportsAndFeedback) {
    std::array<uint8_t, 400> buffer{};
    Writer w(buffer);
    ReportBlock block;
    block.ssrc = 0xA1;
    ASSERT_TRUE(w.add_receiver_report(0x77, std::span(&block, 1)));
    ASSERT_TRUE(w.add_pli(0x77, 0xA1));
    ASSERT_TRUE(w.add_fir(0x77, 0xA2, 5));
    const std::array<uint16_t, 2> lost = {100, 102};
    ASSERT_TRUE(w.add_nack(0x77, 0xA2, lost));
    const std::array<uint32_t, 2> rembSsrcs = {0xA1, 0xA2};
    ASSERT_TRUE(w.add_remb(0x77, 500000, rembSsrcs));

    // Receiver-side SSRCs 0xA1/0xA2 belong to the sender as 0xB1/0xB2.
    const std::map<uint32_t, uint32_t> toSender = {{0xA1, 0xB1}, {0xA2, 0xB2}};
    auto map = [&](uint32_t ssrc) {
        const auto it = toSender.find(ssrc);
        return it == toSender.end() ? ssrc : it->second;
    };
    ASSERT_TRUE(CompoundPacket::rewrite_media_ssrcs(w.bytes(), map));

    CompoundPacket compound(w.bytes());
    const auto rr = ReceiverReport::parse(*compound.next());
    ASSERT_TRUE(rr);
    EXPECT_EQ(rr->ssrc(), 0x77U);  // the reporter keeps its own SSRC
    EXPECT_EQ(rr->report(0).ssrc, 0xB1U);
    const auto pli = FeedbackPacket::parse(*compound.next());
    ASSERT_TRUE(pli && pli->is_pli());
    EXPECT_EQ(pli->media_ssrc(), 0xB1U);
    const auto firPacket = FeedbackPacket::parse(*compound.next());
    ASSERT_TRUE(firPacket);
    const auto fir = Fir::parse(*firPacket);
    ASSERT_TRUE(fir);
    EXPECT_EQ(firPacket->media_ssrc(), 0U);
    ASSERT_EQ(fir->entry_count(), 1U);
    EXPECT_EQ(fir->entry(0).ssrc, 0xB2U);
    EXPECT_EQ(fir->entry(0).sequence_number, 5);
    const auto nack = Nack::parse(*FeedbackPacket::parse(*compound.next()));
    ASSERT_TRUE(nack);
    EXPECT_EQ(nack->media_ssrc(), 0xB2U);
    const auto remb = Remb::parse(*FeedbackPacket::parse(*compound.next()));
    ASSERT_TRUE(remb);
    EXPECT_EQ(remb->ssrc(0), 0xB1U);
    EXPECT_EQ(remb->ssrc(1), 0xB2U);
    EXPECT_FALSE(compound.next());
}

}  // namespace
}  // namespace vg::rtc::rtcp
