#pragma once
// What a datagram on the shared media port is, from its first bytes: RFC 7983 for STUN / DTLS /
// RTP-or-RTCP, then RFC 5761 for RTP versus RTCP on a muxed port.
#include <cstdint>
#include <span>

namespace vg::rtc::rtp {

enum class PacketKind { Stun, Dtls, Rtp, Rtcp, Unknown };

constexpr bool is_rtcp_packet_type(uint8_t second_byte) {
    // RTCP packet types 192..223 read as RTP marker bit + payload type 64..95.
    const uint8_t type = second_byte & 0x7F;
    return type >= 64 && type <= 95;
}

constexpr PacketKind classify(std::span<const uint8_t> data) {
    if (data.empty()) {
        return PacketKind::Unknown;
    }
    const uint8_t first = data[0];
    if (first <= 3) {
        return data.size() >= 20 ? PacketKind::Stun : PacketKind::Unknown;
    }
    if (first >= 20 && first <= 63) {
        return data.size() >= 13 ? PacketKind::Dtls : PacketKind::Unknown;
    }
    if (first >= 128 && first <= 191) {
        if (data.size() < 8) {
            return PacketKind::Unknown;
        }
        if (is_rtcp_packet_type(data[1])) {
            return PacketKind::Rtcp;
        }
        return data.size() >= 12 ? PacketKind::Rtp : PacketKind::Unknown;
    }
    return PacketKind::Unknown;
}

}  // namespace vg::rtc::rtp
