#pragma once
// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01)
// for what one participant sends us: we are the receiving end of its first hop, so its
// bandwidth estimator needs our arrival times, or it stays at its start rate (about 150 kb/s of
// video seen from Chromium without it). Records arrivals in a fixed window (no allocation per
// packet) and writes RTPFB FMT 15 packets.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace vg::rtc::transport {

class TransportCcFeedback {
  public:
    using Clock = std::chrono::steady_clock;
    // Packets one feedback can describe; older unreported ones are given up.
    static constexpr std::size_t window = 512;

    void on_packet(std::uint16_t wide_sequence, Clock::time_point arrival);
    bool has_pending() const { return started_ && highest_ >= next_; }

    // Writes one feedback packet for the arrivals since the last one into out; returns its size
    // (0 when nothing is pending or capacity is too small for even one packet status).
    std::size_t write(std::uint8_t* out, std::size_t capacity, std::uint32_t sender_ssrc,
                      std::uint32_t media_ssrc);

  private:
    static constexpr std::int64_t missing = -1;
    std::int64_t& slot(std::int64_t sequence) {
        return arrivals_[static_cast<std::size_t>(sequence) % window];
    }

    std::array<std::int64_t, window> arrivals_ = [] {
        std::array<std::int64_t, window> empty{};
        empty.fill(missing);
        return empty;
    }();  // microseconds since epoch_, by unwrapped sequence
    bool started_ = false;
    Clock::time_point epoch_{};
    std::int64_t next_ = 0;     // first unwrapped sequence not yet reported
    std::int64_t highest_ = 0;  // highest unwrapped sequence received
    std::uint8_t feedback_count_ = 0;
};

}  // namespace vg::rtc::transport
