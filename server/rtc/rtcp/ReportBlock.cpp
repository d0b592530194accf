#include "rtc/rtcp/ReportBlock.hpp"

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {

ReportBlock ReportBlock::read(const uint8_t* at) {
    ReportBlock b;
    b.ssrc = rtp::read32(at);
    b.fraction_lost = at[4];
    uint32_t lost = rtp::read24(at + 5);
    if ((lost & 0x800000) != 0) {
        lost |= 0xFF000000U;  // sign-extend the 24-bit value
    }
    b.cumulative_lost = static_cast<int32_t>(lost);
    b.highest_sequence = rtp::read32(at + 8);
    b.jitter = rtp::read32(at + 12);
    b.last_sender_report = rtp::read32(at + 16);
    b.delay_since_last_sender_report = rtp::read32(at + 20);
    return b;
}

void ReportBlock::write(uint8_t* at) const {
    rtp::write32(at, ssrc);
    at[4] = fraction_lost;
    // Clamp to what 24 signed bits hold.
    const int32_t lost = cumulative_lost > 0x7FFFFF    ? 0x7FFFFF
                         : cumulative_lost < -0x800000 ? -0x800000
                                                       : cumulative_lost;
    rtp::write24(at + 5, static_cast<uint32_t>(lost) & 0xFFFFFF);
    rtp::write32(at + 8, highest_sequence);
    rtp::write32(at + 12, jitter);
    rtp::write32(at + 16, last_sender_report);
    rtp::write32(at + 20, delay_since_last_sender_report);
}

}  // namespace vg::rtc::rtcp
