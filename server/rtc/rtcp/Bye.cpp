#include "rtc/rtcp/Bye.hpp"

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {

std::optional<Bye> Bye::parse(const Packet& packet) {
    const auto body = packet.body();
    const size_t count = packet.count();
    if (packet.type() != PacketType::Bye || body.size() < count * 4) {
        return std::nullopt;
    }
    std::string_view reason;
    const size_t at = count * 4;
    if (body.size() > at) {
        const size_t length = body[at];
        if (body.size() - at - 1 < length) {
            return std::nullopt;
        }
        reason = std::string_view(reinterpret_cast<const char*>(body.data() + at + 1), length);
    }
    return Bye(body, count, reason);
}

uint32_t Bye::ssrc(size_t index) const {
    return rtp::read32(body_.data() + 4 * index);
}

}  // namespace vg::rtc::rtcp
