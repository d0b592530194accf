#include "rtc/rtcp/FeedbackPacket.hpp"

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {

std::optional<FeedbackPacket> FeedbackPacket::parse(const Packet& packet) {
    if ((packet.type() != PacketType::TransportFeedback &&
         packet.type() != PacketType::PayloadFeedback) ||
        packet.body().size() < kCommonSize) {
        return std::nullopt;
    }
    return FeedbackPacket(packet.body(), packet.type(), packet.count());
}

uint32_t FeedbackPacket::sender_ssrc() const {
    return rtp::read32(body_.data());
}
uint32_t FeedbackPacket::media_ssrc() const {
    return rtp::read32(body_.data() + 4);
}
void FeedbackPacket::set_media_ssrc(uint32_t ssrc) {
    rtp::write32(body_.data() + 4, ssrc);
}

}  // namespace vg::rtc::rtcp
