#pragma once
#include <cstddef>
#include <cstdint>

namespace vg::rtc::rtcp {

// A reception report block of SR and RR (RFC 3550 6.4.1).
struct ReportBlock {
    static constexpr size_t kSize = 24;

    uint32_t ssrc = 0;  // the media source this block reports on
    uint8_t fraction_lost = 0;
    int32_t cumulative_lost = 0;  // 24-bit signed on the wire
    uint32_t highest_sequence = 0;
    uint32_t jitter = 0;
    uint32_t last_sender_report = 0;
    uint32_t delay_since_last_sender_report = 0;

    static ReportBlock read(const uint8_t* at);  // kSize bytes
    void write(uint8_t* at) const;               // kSize bytes

    bool operator==(const ReportBlock&) const = default;
};

}  // namespace vg::rtc::rtcp
