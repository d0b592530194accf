#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "rtc/rtcp/FeedbackPacket.hpp"

namespace vg::rtc::rtcp {

// Full Intra Request (RFC 5104 4.3.1): one entry per media sender asked for a keyframe.
class Fir {
  public:
    static constexpr size_t kEntrySize = 8;
    struct Entry {
        uint32_t ssrc = 0;
        uint8_t sequence_number = 0;
    };

    static std::optional<Fir> parse(const FeedbackPacket& feedback);

    uint32_t sender_ssrc() const { return feedback_.sender_ssrc(); }
    size_t entry_count() const { return feedback_.fci().size() / kEntrySize; }
    Entry entry(size_t index) const;  // index < entry_count()
    void set_entry_ssrc(size_t index, uint32_t ssrc);

  private:
    explicit Fir(const FeedbackPacket& feedback) : feedback_(feedback) {}

    FeedbackPacket feedback_;
};

}  // namespace vg::rtc::rtcp
