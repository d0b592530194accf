#include <gtest/gtest.h>

#include <vector>

#include "rtc/rtp/RtpPacket.hpp"
#include "unit/rtc/stun/Hex.hpp"

namespace vg::rtc::rtp {
namespace {

using test::hex;

// VP8-like packet: marker, PT 96, seq 0x1234, ts 0x11223344, SSRC 0xAABBCCDD, one CSRC,
// one-byte extensions: id 1 (mid "0"), id 3 (abs-send-time, 3 bytes), one padding byte,
// then 4 payload bytes and 2 bytes of RTP padding.
std::vector<uint8_t> oneBytePacket() {
    return hex(
        "b1 e0 12 34 11 22 33 44 aa bb cc dd 01 02 03 04"
        "be de 00 02 10 30 32 01 02 03 00 00"
        "de ad be ef 00 02");
}

TEST(RtpPacket, ParsesTheFixedHeaderCsrcExtensionsAndPadding) {
    auto data = oneBytePacket();
    const auto p = RtpPacket::parse(data);
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->marker());
    EXPECT_EQ(p->payload_type(), 96);
    EXPECT_EQ(p->sequence_number(), 0x1234);
    EXPECT_EQ(p->timestamp(), 0x11223344U);
    EXPECT_EQ(p->ssrc(), 0xAABBCCDDU);
    ASSERT_EQ(p->csrc_count(), 1);
    EXPECT_EQ(p->csrc(0), 0x01020304U);
    EXPECT_TRUE(p->one_byte_extensions());
    EXPECT_EQ(p->header_size(), 28U);
    EXPECT_EQ(p->padding_size(), 2U);
    ASSERT_EQ(p->payload().size(), 4U);
    EXPECT_EQ(p->payload()[0], 0xde);
    const auto mid = p->extension(1);
    ASSERT_TRUE(mid);
    ASSERT_EQ(mid->size(), 1U);
    EXPECT_EQ((*mid)[0], '0');
    const auto abs = p->extension(3);
    ASSERT_TRUE(abs);
    EXPECT_EQ(abs->size(), 3U);
    EXPECT_EQ((*abs)[0], 0x01);
    EXPECT_FALSE(p->extension(2));
}

TEST(RtpPacket, SettersRewriteInPlaceAndKeepTheOtherBits) {
    auto data = oneBytePacket();
    auto p = RtpPacket::parse(data);
    ASSERT_TRUE(p);
    p->set_payload_type(111);
    p->set_sequence_number(0xFFFF);
    p->set_timestamp(7);
    p->set_ssrc(0x01020304);
    EXPECT_TRUE(p->marker());
    p->set_marker(false);
    EXPECT_EQ(data[1], 111);
    const auto again = RtpPacket::parse(data);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->payload_type(), 111);
    EXPECT_EQ(again->sequence_number(), 0xFFFF);
    EXPECT_EQ(again->timestamp(), 7U);
    EXPECT_EQ(again->ssrc(), 0x01020304U);
    EXPECT_FALSE(again->marker());
    EXPECT_EQ(again->csrc(0), 0x01020304U);
}

TEST(RtpPacket, RemapsOneByteIdsAndBlanksUnmappedOnes) {
    auto data = oneBytePacket();
    auto p = RtpPacket::parse(data);
    ASSERT_TRUE(p);
    ExtensionIdMap map{};
    map[1] = 4;  // mid keeps its value under the receiver's id
    map[3] = 0;  // the receiver did not negotiate abs-send-time
    p->remap_extension_ids(map);
    const auto again = RtpPacket::parse(data);
    ASSERT_TRUE(again);
    ASSERT_TRUE(again->extension(4));
    EXPECT_EQ((*again->extension(4))[0], '0');
    EXPECT_FALSE(again->extension(1));
    EXPECT_FALSE(again->extension(3));
    EXPECT_EQ(again->payload()[0], 0xde);
}

TEST(RtpPacket, ReadsAndRemapsTwoByteExtensions) {
    // Two-byte form (0x1000): id 20 with 2 bytes, id 1 with 0 bytes, one padding byte.
    auto data =
        hex("90 60 00 01 00 00 00 01 00 00 00 02"
            "10 00 00 02 14 02 ab cd 01 00 00 00"
            "ff");
    auto p = RtpPacket::parse(data);
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->one_byte_extensions());
    ASSERT_TRUE(p->extension(20));
    EXPECT_EQ((*p->extension(20))[1], 0xcd);
    ASSERT_TRUE(p->extension(1));
    EXPECT_TRUE(p->extension(1)->empty());
    ExtensionIdMap map{};
    map[20] = 200;
    map[1] = 2;
    p->remap_extension_ids(map);
    EXPECT_TRUE(p->extension(200));
    EXPECT_TRUE(p->extension(2));
    EXPECT_FALSE(p->extension(20));
}

TEST(RtpPacket, RejectsMalformedPackets) {
    auto base = oneBytePacket();
    EXPECT_FALSE(RtpPacket::parse(std::span(base).first(11)));
    auto v1 = base;
    v1[0] = 0x71;
    EXPECT_FALSE(RtpPacket::parse(v1));
    auto manyCsrc = base;
    manyCsrc[0] = 0xBF;  // 15 CSRCs do not fit
    EXPECT_FALSE(RtpPacket::parse(manyCsrc));
    auto longExtension = base;
    longExtension[19] = 0x20;  // 32 words of extension
    EXPECT_FALSE(RtpPacket::parse(longExtension));
    auto elementOverrun = base;
    elementOverrun[22] = 0x3F;  // id 3 says 16 bytes
    EXPECT_FALSE(RtpPacket::parse(elementOverrun));
    auto badPadding = base;
    badPadding.back() = 0;
    EXPECT_FALSE(RtpPacket::parse(badPadding));
    badPadding.back() = 0x40;
    EXPECT_FALSE(RtpPacket::parse(badPadding));
}

}  // namespace
}  // namespace vg::rtc::rtp
