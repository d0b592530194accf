#pragma once
#include <cstddef>
#include <cstdint>

namespace vg::rtc::rtcp {

// A reception report block of SR and RR (RFC 3550 6.4.1).
struct ReportBlock {
    static constexpr size_t kSize = 24;

    uint32_t ssrc = 0;  // the media source this block reports on
    uint8_t fractionLost = 0;
    int32_t cumulativeLost = 0;  // 24-bit signed on the wire
    uint32_t highestSequence = 0;
    uint32_t jitter = 0;
    uint32_t lastSenderReport = 0;
    uint32_t delaySinceLastSenderReport = 0;

    static ReportBlock read(const uint8_t* at);  // kSize bytes
    void write(uint8_t* at) const;               // kSize bytes

    bool operator==(const ReportBlock&) const = default;
};

}  // namespace vg::rtc::rtcp
