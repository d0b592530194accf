#pragma once
// The last packets we sent one receiver on one stream, as sent (rewritten, before SRTP), so a
// NACK from that receiver is answered by us and the loss on its leg is repaired on its leg
// only. Bounded by slots and by age; every slot is allocated once, when the buffer is made.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vg::rtc::room {

class RetransmissionBuffer {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t max_packet = 1500;
    static constexpr auto max_age = std::chrono::milliseconds(1000);

    // slots: a power of two (packets of about 2 s at 2 Mbit/s for 256).
    explicit RetransmissionBuffer(std::size_t slots = 256);

    // Keeps a copy of the packet sent with this sequence number, replacing the one that had its
    // slot. Larger packets are not kept.
    void store(std::uint16_t sequence, std::span<const std::uint8_t> packet, Clock::time_point now);
    // The packet sent with this sequence number, if still held and younger than max_age; empty
    // otherwise.
    std::span<const std::uint8_t> find(std::uint16_t sequence, Clock::time_point now) const;
    // Whether the packet with this sequence number may be resent now: not if it was less than
    // min_interval ago (a receiver repeats its NACK until our first answer arrives; a copy
    // after that is wasted on its link, and dropped by its SRTP replay check). Marks it resent.
    bool resend_due(std::uint16_t sequence, Clock::time_point now, Clock::duration min_interval);
    void clear();

  private:
    struct Slot {
        std::uint16_t sequence = 0;
        std::uint16_t size = 0;  // 0: empty
        Clock::time_point stored{};
        Clock::time_point resent{};
    };
    std::size_t mask_;
    std::vector<Slot> slots_;
    std::vector<std::uint8_t> bytes_;  // slots_.size() * max_packet
};

}  // namespace vg::rtc::room
