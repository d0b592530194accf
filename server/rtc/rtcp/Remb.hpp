#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "rtc/rtcp/FeedbackPacket.hpp"

namespace vg::rtc::rtcp {

// Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb): PSFB FMT 15 with "REMB".
class Remb {
  public:
    static std::optional<Remb> parse(const FeedbackPacket& feedback);

    uint32_t sender_ssrc() const { return feedback_.sender_ssrc(); }
    uint64_t bitrate() const { return bitrate_; }  // bits per second
    size_t ssrc_count() const { return count_; }
    uint32_t ssrc(size_t index) const;  // index < ssrc_count()
    void set_ssrc(size_t index, uint32_t ssrc);

  private:
    Remb(const FeedbackPacket& feedback, uint64_t bitrate, size_t count)
        : feedback_(feedback), bitrate_(bitrate), count_(count) {}

    FeedbackPacket feedback_;
    uint64_t bitrate_;
    size_t count_;
};

}  // namespace vg::rtc::rtcp
