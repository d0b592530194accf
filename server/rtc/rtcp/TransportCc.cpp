#include "rtc/rtcp/TransportCc.hpp"

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {

std::optional<TransportCc> TransportCc::parse(const FeedbackPacket& feedback) {
    const auto fci = feedback.fci();
    if (feedback.type() != PacketType::TransportFeedback || feedback.fmt() != fmt::kTransportCc ||
        fci.size() < kFixedSize) {
        return std::nullopt;
    }
    TransportCc t;
    t.senderSsrc_ = feedback.senderSsrc();
    t.mediaSsrc_ = feedback.mediaSsrc();
    t.baseSequence_ = rtp::read16(fci.data());
    t.statusCount_ = rtp::read16(fci.data() + 2);
    uint32_t reference = rtp::read24(fci.data() + 4);
    if ((reference & 0x800000) != 0) {
        reference |= 0xFF000000U;
    }
    t.referenceTime_ = static_cast<int32_t>(reference);
    t.feedbackCount_ = fci[7];
    return t;
}

}  // namespace vg::rtc::rtcp
