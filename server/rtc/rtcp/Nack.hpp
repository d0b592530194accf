#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rtc/rtcp/FeedbackPacket.hpp"

namespace vg::rtc::rtcp {

// Generic NACK (RFC 4585 6.2.1): a list of PID + BLP items.
class Nack {
  public:
    struct Item {
        uint16_t packet_id = 0;
        uint16_t lost_bitmask = 0;  // bit i set: packet_id + i + 1 lost too
    };

    static std::optional<Nack> parse(const FeedbackPacket& feedback);

    uint32_t sender_ssrc() const { return feedback_.sender_ssrc(); }
    uint32_t media_ssrc() const { return feedback_.media_ssrc(); }
    size_t item_count() const { return feedback_.fci().size() / 4; }
    Item item(size_t index) const;  // index < item_count()

    // Calls f(uint16_t sequence_number) for every sequence number reported lost, in order.
    template <typename F>
    void for_each_lost(F&& f) const {
        for (size_t i = 0; i < item_count(); ++i) {
            const Item it = item(i);
            f(it.packet_id);
            for (unsigned bit = 0; bit < 16; ++bit) {
                if ((it.lost_bitmask & (1u << bit)) != 0) {
                    f(static_cast<uint16_t>(it.packet_id + bit + 1));
                }
            }
        }
    }

  private:
    explicit Nack(const FeedbackPacket& feedback) : feedback_(feedback) {}

    FeedbackPacket feedback_;
};

}  // namespace vg::rtc::rtcp
