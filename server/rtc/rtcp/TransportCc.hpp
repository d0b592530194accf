#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rtc/rtcp/FeedbackPacket.hpp"

namespace vg::rtc::rtcp {

// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-
// extensions-01): the fixed fields, and the packet statuses with their arrival times.
class TransportCc {
  public:
    static constexpr size_t kFixedSize = 8;
    static constexpr int64_t kReferenceUnitUs = 64000;
    static constexpr int64_t kDeltaUnitUs = 250;

    struct PacketStatus {
        uint16_t sequence = 0;
        bool received = false;
        // Microseconds after the reference time (receiver's clock); 0 when not received.
        int64_t arrival_us = 0;
    };

    static std::optional<TransportCc> parse(const FeedbackPacket& feedback);

    uint32_t sender_ssrc() const { return senderSsrc_; }
    uint32_t media_ssrc() const { return mediaSsrc_; }
    uint16_t base_sequence() const { return baseSequence_; }
    uint16_t status_count() const { return statusCount_; }
    int32_t reference_time() const { return referenceTime_; }  // multiples of 64 ms
    uint8_t feedback_count() const { return feedbackCount_; }

    // Writes the status_count() packet statuses, in sequence order, to out. Returns false, with
    // out in an unspecified state, when they do not fit in out or the chunks or deltas are
    // cut short.
    bool statuses(std::span<PacketStatus> out) const;

  private:
    TransportCc() = default;

    std::span<const uint8_t> fci_;
    uint32_t senderSsrc_ = 0;
    uint32_t mediaSsrc_ = 0;
    uint16_t baseSequence_ = 0;
    uint16_t statusCount_ = 0;
    int32_t referenceTime_ = 0;
    uint8_t feedbackCount_ = 0;
};

}  // namespace vg::rtc::rtcp
