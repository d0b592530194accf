#include "rtc/rtcp/Packet.hpp"

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {

std::optional<Packet> Packet::parse(std::span<uint8_t> data) {
    if (data.size() < kHeaderSize || (data[0] >> 6) != 2) {
        return std::nullopt;
    }
    const size_t size = (static_cast<size_t>(rtp::read16(data.data() + 2)) + 1) * 4;
    if (size > data.size()) {
        return std::nullopt;
    }
    auto bytes = data.first(size);
    size_t padding = 0;
    if ((data[0] & 0x20) != 0) {
        padding = bytes.back();
        if (padding == 0 || padding > size - kHeaderSize) {
            return std::nullopt;
        }
    }
    return Packet(bytes, bytes.subspan(kHeaderSize, size - kHeaderSize - padding));
}

std::optional<uint32_t> Packet::sender_ssrc() const {
    switch (type()) {
        case PacketType::SenderReport:
        case PacketType::ReceiverReport:
        case PacketType::TransportFeedback:
        case PacketType::PayloadFeedback:
            if (body_.size() >= 4) {
                return rtp::read32(body_.data());
            }
            return std::nullopt;
        default:
            return std::nullopt;
    }
}

bool Packet::set_sender_ssrc(uint32_t ssrc) {
    if (!sender_ssrc()) {
        return false;
    }
    rtp::write32(body_.data(), ssrc);
    return true;
}

}  // namespace vg::rtc::rtcp
