#include <gtest/gtest.h>

#include <vector>

#include "rtc/rtp/Demux.hpp"

namespace vg::rtc::rtp {
namespace {

PacketKind kindOf(uint8_t first, uint8_t second, size_t size = 40) {
    std::vector<uint8_t> data(size, 0);
    data[0] = first;
    data[1] = second;
    return classify(data);
}

TEST(Demux, SortsByTheFirstByteAsRfc7983Says) {
    EXPECT_EQ(kindOf(0x00, 0x01), PacketKind::Stun);
    EXPECT_EQ(kindOf(0x01, 0x01), PacketKind::Stun);
    EXPECT_EQ(kindOf(22, 0xfe), PacketKind::Dtls);  // handshake record
    EXPECT_EQ(kindOf(23, 0xfe), PacketKind::Dtls);  // application data
    EXPECT_EQ(kindOf(0x80, 96), PacketKind::Rtp);
    EXPECT_EQ(kindOf(0x80, 0x80 | 111), PacketKind::Rtp);  // marker set
    EXPECT_EQ(kindOf(0x50, 0), PacketKind::Unknown);       // TURN channel range
    EXPECT_EQ(kindOf(0xC0, 0), PacketKind::Unknown);
    EXPECT_EQ(classify({}), PacketKind::Unknown);
}

TEST(Demux, TellsRtcpFromRtpByPacketType) {
    EXPECT_EQ(kindOf(0x80, 200), PacketKind::Rtcp);  // SR
    EXPECT_EQ(kindOf(0x81, 201), PacketKind::Rtcp);  // RR
    EXPECT_EQ(kindOf(0x81, 205), PacketKind::Rtcp);  // RTPFB
    EXPECT_EQ(kindOf(0x81, 206), PacketKind::Rtcp);  // PSFB
    EXPECT_EQ(kindOf(0x80, 127), PacketKind::Rtp);
    EXPECT_EQ(kindOf(0x80, 63), PacketKind::Rtp);
    EXPECT_EQ(kindOf(0x80, 96, 10), PacketKind::Unknown);  // too short for RTP
}

}  // namespace
}  // namespace vg::rtc::rtp
