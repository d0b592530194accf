#pragma once
#include <cstdint>
#include <optional>

#include "rtc/rtcp/FeedbackPacket.hpp"

namespace vg::rtc::rtcp {

// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-
// extensions-01): only the fixed fields, enough to route it; the packet status chunks are
// left to whoever estimates bandwidth.
class TransportCc {
  public:
    static constexpr size_t kFixedSize = 8;

    static std::optional<TransportCc> parse(const FeedbackPacket& feedback);

    uint32_t senderSsrc() const { return senderSsrc_; }
    uint32_t mediaSsrc() const { return mediaSsrc_; }
    uint16_t baseSequence() const { return baseSequence_; }
    uint16_t statusCount() const { return statusCount_; }
    int32_t referenceTime() const { return referenceTime_; }  // multiples of 64 ms
    uint8_t feedbackCount() const { return feedbackCount_; }

  private:
    TransportCc() = default;

    uint32_t senderSsrc_ = 0;
    uint32_t mediaSsrc_ = 0;
    uint16_t baseSequence_ = 0;
    uint16_t statusCount_ = 0;
    int32_t referenceTime_ = 0;
    uint8_t feedbackCount_ = 0;
};

}  // namespace vg::rtc::rtcp
