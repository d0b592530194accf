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
        uint16_t packetId = 0;
        uint16_t lostBitmask = 0;  // bit i set: packetId + i + 1 lost too
    };

    static std::optional<Nack> parse(const FeedbackPacket& feedback);

    uint32_t senderSsrc() const { return feedback_.senderSsrc(); }
    uint32_t mediaSsrc() const { return feedback_.mediaSsrc(); }
    size_t itemCount() const { return feedback_.fci().size() / 4; }
    Item item(size_t index) const;  // index < itemCount()

    // Calls f(uint16_t sequenceNumber) for every sequence number reported lost, in order.
    template <typename F>
    void forEachLost(F&& f) const {
        for (size_t i = 0; i < itemCount(); ++i) {
            const Item it = item(i);
            f(it.packetId);
            for (unsigned bit = 0; bit < 16; ++bit) {
                if ((it.lostBitmask & (1u << bit)) != 0) {
                    f(static_cast<uint16_t>(it.packetId + bit + 1));
                }
            }
        }
    }

  private:
    explicit Nack(const FeedbackPacket& feedback) : feedback_(feedback) {}

    FeedbackPacket feedback_;
};

}  // namespace vg::rtc::rtcp
