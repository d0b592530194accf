#include "rtc/rtcp/Remb.hpp"

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {

std::optional<Remb> Remb::parse(const FeedbackPacket& feedback) {
    const auto fci = feedback.fci();
    if (feedback.type() != PacketType::PayloadFeedback ||
        feedback.fmt() != fmt::kApplicationLayer || fci.size() < 8 || fci[0] != 'R' ||
        fci[1] != 'E' || fci[2] != 'M' || fci[3] != 'B') {
        return std::nullopt;
    }
    const size_t count = fci[4];
    if (fci.size() - 8 < count * 4) {
        return std::nullopt;
    }
    const unsigned exponent = fci[5] >> 2;
    const uint64_t mantissa = rtp::read24(fci.data() + 5) & 0x3FFFF;
    // 18-bit mantissa shifted by up to 63 would overflow: such a bitrate means "unlimited".
    const uint64_t bitrate = exponent > 46 ? UINT64_MAX : mantissa << exponent;
    return Remb(feedback, bitrate, count);
}

uint32_t Remb::ssrc(size_t index) const {
    return rtp::read32(feedback_.fci().data() + 8 + 4 * index);
}

void Remb::set_ssrc(size_t index, uint32_t ssrc) {
    rtp::write32(feedback_.fci().data() + 8 + 4 * index, ssrc);
}

}  // namespace vg::rtc::rtcp
