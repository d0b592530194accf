#include "rtc/rtcp/Fir.hpp"

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {

std::optional<Fir> Fir::parse(const FeedbackPacket& feedback) {
    if (feedback.type() != PacketType::PayloadFeedback || feedback.fmt() != fmt::kFir ||
        feedback.fci().empty() || feedback.fci().size() % kEntrySize != 0) {
        return std::nullopt;
    }
    return Fir(feedback);
}

Fir::Entry Fir::entry(size_t index) const {
    const uint8_t* at = feedback_.fci().data() + kEntrySize * index;
    return Entry{rtp::read32(at), at[4]};
}

void Fir::set_entry_ssrc(size_t index, uint32_t ssrc) {
    rtp::write32(feedback_.fci().data() + kEntrySize * index, ssrc);
}

}  // namespace vg::rtc::rtcp
