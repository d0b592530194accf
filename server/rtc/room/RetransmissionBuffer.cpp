#include "rtc/room/RetransmissionBuffer.hpp"

#include <cstring>
#include <stdexcept>

namespace vg::rtc::room {

RetransmissionBuffer::RetransmissionBuffer(std::size_t slots)
    : mask_(slots - 1), slots_(slots), bytes_(slots * max_packet) {
    if (slots == 0 || (slots & (slots - 1)) != 0)
        throw std::invalid_argument("retransmission buffer: slots must be a power of two");
}

void RetransmissionBuffer::store(std::uint16_t sequence, std::span<const std::uint8_t> packet,
                                 Clock::time_point now) {
    const std::size_t index = sequence & mask_;
    Slot& slot = slots_[index];
    if (packet.empty() || packet.size() > max_packet) {
        slot.size = 0;  // never answer with what was there before
        return;
    }
    std::memcpy(bytes_.data() + index * max_packet, packet.data(), packet.size());
    slot = Slot{sequence, static_cast<std::uint16_t>(packet.size()), now};
}

std::span<const std::uint8_t> RetransmissionBuffer::find(std::uint16_t sequence,
                                                         Clock::time_point now) const {
    const std::size_t index = sequence & mask_;
    const Slot& slot = slots_[index];
    if (slot.size == 0 || slot.sequence != sequence || now - slot.stored > max_age) return {};
    return {bytes_.data() + index * max_packet, slot.size};
}

bool RetransmissionBuffer::resend_due(std::uint16_t sequence, Clock::time_point now,
                                      Clock::duration min_interval) {
    Slot& slot = slots_[sequence & mask_];
    if (slot.sequence != sequence) return false;
    if (slot.resent != Clock::time_point{} && now - slot.resent < min_interval) return false;
    slot.resent = now;
    return true;
}

void RetransmissionBuffer::clear() {
    for (auto& slot : slots_) slot.size = 0;
}

}  // namespace vg::rtc::room
