#include "rtc/rtcp/Sdes.hpp"

namespace vg::rtc::rtcp {

std::optional<Sdes> Sdes::parse(const Packet& packet) {
    if (packet.type() != PacketType::SourceDescription ||
        !walk(packet.body(), packet.count(), [](const SdesItem&) {})) {
        return std::nullopt;
    }
    return Sdes(packet.body(), packet.count());
}

}  // namespace vg::rtc::rtcp
