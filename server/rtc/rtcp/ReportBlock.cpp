#include "rtc/rtcp/ReportBlock.hpp"

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {

ReportBlock ReportBlock::read(const uint8_t* at) {
    ReportBlock b;
    b.ssrc = rtp::read32(at);
    b.fractionLost = at[4];
    uint32_t lost = rtp::read24(at + 5);
    if ((lost & 0x800000) != 0) {
        lost |= 0xFF000000U;  // sign-extend the 24-bit value
    }
    b.cumulativeLost = static_cast<int32_t>(lost);
    b.highestSequence = rtp::read32(at + 8);
    b.jitter = rtp::read32(at + 12);
    b.lastSenderReport = rtp::read32(at + 16);
    b.delaySinceLastSenderReport = rtp::read32(at + 20);
    return b;
}

void ReportBlock::write(uint8_t* at) const {
    rtp::write32(at, ssrc);
    at[4] = fractionLost;
    // Clamp to what 24 signed bits hold.
    const int32_t lost = cumulativeLost > 0x7FFFFF    ? 0x7FFFFF
                         : cumulativeLost < -0x800000 ? -0x800000
                                                      : cumulativeLost;
    rtp::write24(at + 5, static_cast<uint32_t>(lost) & 0xFFFFFF);
    rtp::write32(at + 8, highestSequence);
    rtp::write32(at + 12, jitter);
    rtp::write32(at + 16, lastSenderReport);
    rtp::write32(at + 20, delaySinceLastSenderReport);
}

}  // namespace vg::rtc::rtcp
