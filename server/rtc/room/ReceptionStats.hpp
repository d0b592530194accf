#pragma once
// What we received on one incoming RTP stream (one SSRC of a participant), kept as RFC 3550
// appendix A says: extended highest sequence number across wrap-arounds, expected versus
// received for cumulative and per-interval loss, interarrival jitter in RTP clock units, and the
// sender's last SR for LSR/DLSR. Fixed size, no allocation: updated for every packet.
#include <chrono>
#include <cstdint>

#include "rtc/rtcp/ReportBlock.hpp"

namespace vg::rtc::room {

class ReceptionStats {
  public:
    using Clock = std::chrono::steady_clock;
    // A jump of more than this many sequence numbers (RFC 3550 A.1 MAX_DROPOUT), or a packet
    // this far behind (MAX_MISORDER), means the sender restarted its numbering.
    static constexpr std::uint16_t max_dropout = 3000;
    static constexpr std::uint16_t max_misorder = 100;

    explicit ReceptionStats(std::uint32_t clock_rate = 90000) : clock_rate_(clock_rate) {}

    // A new SSRC on this section: start over.
    void reset(std::uint32_t ssrc, std::uint32_t clock_rate);
    std::uint32_t ssrc() const { return ssrc_; }
    std::uint32_t clock_rate() const { return clock_rate_; }

    // A media packet as it arrived. recovered: it came back in a retransmission (RTX) and filled
    // a gap; it counts as received but its arrival time says nothing about jitter.
    void on_packet(std::uint16_t sequence, std::uint32_t rtp_timestamp, std::size_t bytes,
                   Clock::time_point arrival, bool recovered = false);
    // The stream's sender sent an SR with this NTP timestamp.
    void on_sender_report(std::uint64_t ntp_timestamp, Clock::time_point arrival);

    // The report block for an RR, and the start of a new interval for fraction lost.
    rtcp::ReportBlock report(Clock::time_point now);

    bool received_any() const { return received_ > 0; }
    std::uint64_t packets() const { return received_; }
    std::uint64_t bytes() const { return bytes_; }
    std::uint64_t recovered() const { return recovered_; }
    std::uint32_t extended_highest() const { return cycles_ + max_sequence_; }
    std::int64_t expected() const;
    // Expected but never received (negative when duplicates arrived), as in an RR.
    std::int64_t lost() const;
    std::uint32_t jitter() const { return jitter_ >> 4; }  // RTP clock units
    double jitter_seconds() const;

  private:
    std::uint32_t ssrc_ = 0;
    std::uint32_t clock_rate_;
    std::uint16_t max_sequence_ = 0;
    std::uint32_t cycles_ = 0;  // count of wrap-arounds, shifted by 16
    std::uint32_t base_sequence_ = 0;
    std::uint64_t received_ = 0;
    std::uint64_t bytes_ = 0;
    std::uint64_t recovered_ = 0;
    std::int64_t expected_prior_ = 0;
    std::uint64_t received_prior_ = 0;
    bool has_transit_ = false;
    std::int64_t transit_ = 0;
    std::uint32_t jitter_ = 0;              // scaled by 16, as RFC 3550 A.8 keeps it
    std::uint32_t last_sender_report_ = 0;  // middle 32 bits of its NTP timestamp
    Clock::time_point last_sender_report_arrival_{};
};

}  // namespace vg::rtc::room
