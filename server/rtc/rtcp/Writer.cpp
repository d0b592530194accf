#include "rtc/rtcp/Writer.hpp"

#include <algorithm>
#include <array>

#include "rtc/rtcp/Packet.hpp"
#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {

using rtp::write16;
using rtp::write32;

uint8_t* Writer::begin(uint8_t count, uint8_t type, size_t size) {
    if (buffer_.size() - size_ < size || size % 4 != 0 || size < 4) {
        return nullptr;
    }
    uint8_t* at = buffer_.data() + size_;
    at[0] = static_cast<uint8_t>(0x80 | (count & 0x1F));
    at[1] = type;
    write16(at + 2, static_cast<uint16_t>(size / 4 - 1));
    size_ += size;
    return at;
}

bool Writer::add_sender_report(const SenderInfo& info, std::span<const ReportBlock> reports) {
    if (reports.size() > kMaxReportBlocks) {
        return false;
    }
    uint8_t* at =
        begin(static_cast<uint8_t>(reports.size()), static_cast<uint8_t>(PacketType::SenderReport),
              4 + SenderReport::kSenderInfoSize + reports.size() * ReportBlock::kSize);
    if (at == nullptr) {
        return false;
    }
    write32(at + 4, info.ssrc);
    rtp::write64(at + 8, info.ntp_timestamp);
    write32(at + 16, info.rtp_timestamp);
    write32(at + 20, info.packet_count);
    write32(at + 24, info.octet_count);
    for (size_t i = 0; i < reports.size(); ++i) {
        reports[i].write(at + 28 + i * ReportBlock::kSize);
    }
    return true;
}

bool Writer::add_receiver_report(uint32_t ssrc, std::span<const ReportBlock> reports) {
    if (reports.size() > kMaxReportBlocks) {
        return false;
    }
    uint8_t* at = begin(static_cast<uint8_t>(reports.size()),
                        static_cast<uint8_t>(PacketType::ReceiverReport),
                        8 + reports.size() * ReportBlock::kSize);
    if (at == nullptr) {
        return false;
    }
    write32(at + 4, ssrc);
    for (size_t i = 0; i < reports.size(); ++i) {
        reports[i].write(at + 8 + i * ReportBlock::kSize);
    }
    return true;
}

bool Writer::add_sdes_cname(uint32_t ssrc, std::string_view cname) {
    if (cname.size() > 255) {
        return false;
    }
    // The item list ends with at least one zero octet, padded to a 32-bit boundary.
    const size_t chunk = (4 + 2 + cname.size() + 1 + 3) / 4 * 4;
    uint8_t* at = begin(1, static_cast<uint8_t>(PacketType::SourceDescription), 4 + chunk);
    if (at == nullptr) {
        return false;
    }
    std::fill(at + 4, at + 4 + chunk, uint8_t{0});
    write32(at + 4, ssrc);
    at[8] = 1;  // CNAME
    at[9] = static_cast<uint8_t>(cname.size());
    std::copy(cname.begin(), cname.end(), at + 10);
    return true;
}

bool Writer::add_pli(uint32_t sender_ssrc, uint32_t media_ssrc) {
    uint8_t* at = begin(fmt::kPli, static_cast<uint8_t>(PacketType::PayloadFeedback), 12);
    if (at == nullptr) {
        return false;
    }
    write32(at + 4, sender_ssrc);
    write32(at + 8, media_ssrc);
    return true;
}

bool Writer::add_fir(uint32_t sender_ssrc, uint32_t media_ssrc, uint8_t sequence_number) {
    uint8_t* at = begin(fmt::kFir, static_cast<uint8_t>(PacketType::PayloadFeedback), 20);
    if (at == nullptr) {
        return false;
    }
    write32(at + 4, sender_ssrc);
    write32(at + 8, 0);
    write32(at + 12, media_ssrc);
    write32(at + 16, static_cast<uint32_t>(sequence_number) << 24);
    return true;
}

bool Writer::add_nack(uint32_t sender_ssrc, uint32_t media_ssrc, std::span<const uint16_t> lost) {
    std::array<uint16_t, kMaxNackItems * 2> items{};  // pid, blp pairs
    size_t count = 0;
    for (const uint16_t seq : lost) {
        if (count > 0) {
            const auto distance = static_cast<uint16_t>(seq - items[2 * (count - 1)]);
            if (distance == 0) {
                continue;
            }
            if (distance <= 16) {
                items[2 * (count - 1) + 1] |= static_cast<uint16_t>(1u << (distance - 1));
                continue;
            }
        }
        if (count == kMaxNackItems) {
            break;
        }
        items[2 * count] = seq;
        items[2 * count + 1] = 0;
        ++count;
    }
    if (count == 0) {
        return false;
    }
    uint8_t* at =
        begin(fmt::kNack, static_cast<uint8_t>(PacketType::TransportFeedback), 12 + 4 * count);
    if (at == nullptr) {
        return false;
    }
    write32(at + 4, sender_ssrc);
    write32(at + 8, media_ssrc);
    for (size_t i = 0; i < count; ++i) {
        write16(at + 12 + 4 * i, items[2 * i]);
        write16(at + 14 + 4 * i, items[2 * i + 1]);
    }
    return true;
}

bool Writer::add_remb(uint32_t sender_ssrc, uint64_t bitrate, std::span<const uint32_t> ssrcs) {
    if (ssrcs.size() > 255) {
        return false;
    }
    unsigned exponent = 0;
    while ((bitrate >> exponent) > 0x3FFFF) {
        ++exponent;
    }
    uint8_t* at = begin(fmt::kApplicationLayer, static_cast<uint8_t>(PacketType::PayloadFeedback),
                        20 + 4 * ssrcs.size());
    if (at == nullptr) {
        return false;
    }
    write32(at + 4, sender_ssrc);
    write32(at + 8, 0);
    at[12] = 'R';
    at[13] = 'E';
    at[14] = 'M';
    at[15] = 'B';
    at[16] = static_cast<uint8_t>(ssrcs.size());
    const auto mantissa = static_cast<uint32_t>(bitrate >> exponent);
    rtp::write24(at + 17, (exponent << 18) | mantissa);
    for (size_t i = 0; i < ssrcs.size(); ++i) {
        write32(at + 20 + 4 * i, ssrcs[i]);
    }
    return true;
}

}  // namespace vg::rtc::rtcp
