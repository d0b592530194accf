#include "rtc/rtcp/Nack.hpp"

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {

std::optional<Nack> Nack::parse(const FeedbackPacket& feedback) {
    if (feedback.type() != PacketType::TransportFeedback || feedback.fmt() != fmt::kNack ||
        feedback.fci().empty() || feedback.fci().size() % 4 != 0) {
        return std::nullopt;
    }
    return Nack(feedback);
}

Nack::Item Nack::item(size_t index) const {
    const uint8_t* at = feedback_.fci().data() + 4 * index;
    return Item{rtp::read16(at), rtp::read16(at + 2)};
}

}  // namespace vg::rtc::rtcp
