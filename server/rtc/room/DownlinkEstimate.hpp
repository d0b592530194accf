#pragma once
// How fast one participant's downlink takes what we send it, so that the senders it receives
// from can be slowed down (the Room sends each of them a REMB). Every packet we send it carries
// our own transport-wide sequence number (on_sent), and its browser's transport-cc feedback
// says when each one arrived (on_feedback). Two signals, after GCC (draft-ietf-rmcat-gcc):
//  - delay: a queue building up in front of a slow link shows as one-way delay above the
//    lowest seen lately (base_window). Smoothed above congested_delay, the estimate falls to
//    decrease_factor of the rate that actually arrived, at most once per decrease_interval so
//    the sender has time to slow down, and again only while the queue keeps growing: a path
//    that got longer looks like a queue that never drains until base_window forgets it;
//  - loss, counted over a loss_window of loss_window_packets (a fifth of them when more than
//    a quarter are lost): above 10% the estimate falls to what was sent times (1 - loss / 2).
//    A policer, or a queue that overflows before it grows, shows only this way. Random loss of
//    a few percent (radio links) is not congestion.
// With little queue (clear_delay) and under 2% loss the estimate grows by growth_per_second, a
// rate that doubles every growth_doubling without a decrease or a window with 2% loss (up to
// four times), so that a link that was slow for a while and is fast again gets its video back
// within seconds. Between those and the cuts it holds: GCC's choice, as loss of 2 to 10% may
// be a policer's. Browsers take seconds to climb back from a REMB below their own estimate, so
// every rule leans towards not cutting.
// Unknown until the first congestion or REMB: until then nothing limits the senders. Fixed
// arrays only, nothing allocated after construction.
#include <array>
#include <chrono>
#include <cstdint>

#include "rtc/rtcp/TransportCc.hpp"
#include "rtc/rtp/RtpPacket.hpp"

namespace vg::rtc::room {

class DownlinkEstimate {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::uint64_t min_bitrate = 50'000;
    static constexpr std::uint64_t max_bitrate = 10'000'000;
    // Sent packets remembered until their feedback, and statuses one feedback may carry.
    static constexpr std::size_t history = 1024;
    static constexpr auto base_window = std::chrono::seconds(5);
    static constexpr auto congested_delay = std::chrono::milliseconds(60);
    static constexpr auto clear_delay = std::chrono::milliseconds(15);
    static constexpr auto decrease_interval = std::chrono::milliseconds(500);
    static constexpr double decrease_factor = 0.85;
    static constexpr auto loss_window = std::chrono::seconds(1);
    // Fewer packets than this in a window, and random loss of 5% (a radio link) would often
    // pass 10% by chance: a cut the browser takes many seconds to climb back from.
    static constexpr std::uint32_t loss_window_packets = 250;
    static constexpr double growth_per_second = 0.2;
    static constexpr auto growth_doubling = std::chrono::seconds(2);

    // A packet about to go out to this participant: stamps our next transport-wide sequence
    // number into its extension (transport_cc_id, when it has one) and remembers it. RTX
    // packets are numbered and counted as any other: they have an SSRC and numbering of their
    // own, so the receiver's SRTP never drops them as duplicates before its feedback sees them.
    void on_sent(rtp::RtpPacket& packet, std::uint8_t transport_cc_id, Clock::time_point now);
    // Its transport-cc feedback on what we sent it.
    void on_feedback(const rtcp::TransportCc& feedback, Clock::time_point now);
    // Its own REMB: the bitrate its browser estimates it can receive.
    void on_remb(std::uint64_t bitrate);

    bool known() const { return known_; }
    // Bits per second.
    std::uint64_t bitrate() const { return std::min(estimate_, remb_); }

  private:
    struct Sent {
        std::int64_t sent_us = 0;
        std::uint16_t sequence = 0;
        std::uint16_t size = 0;
        bool waiting = false;  // for its feedback
    };

    // The one-way delay of a packet (receiver's clock minus ours), its lowest lately, and the
    // smoothed queueing delay on top of it.
    void on_delay(std::int64_t one_way_us, Clock::time_point now);
    void close_loss_window(Clock::time_point now);
    // Bits per second that arrived lately, 0 before we know.
    std::uint64_t arrived_bitrate(Clock::time_point now) const;
    void lower_to(double bitrate, Clock::time_point now);

    std::array<Sent, history> sent_{};
    std::array<rtcp::TransportCc::PacketStatus, history> statuses_{};
    std::uint16_t next_sequence_ = 0;
    Clock::time_point epoch_{};
    bool started_ = false;

    bool have_reference_ = false;
    std::uint32_t last_reference_ = 0;      // 24 bits, as sent
    std::int64_t reference_unwrapped_ = 0;  // in 64 ms units

    std::int64_t lowest_delay_us_ = 0;  // over the current half of base_window
    std::int64_t previous_lowest_us_ = 0;
    Clock::time_point lowest_since_{};
    bool have_delay_ = false;
    std::int64_t queue_delay_us_ = 0;   // smoothed
    std::int64_t queue_at_cut_us_ = 0;  // at the last cut, until the queue drains

    Clock::time_point window_start_{};
    std::uint64_t window_sent_bytes_ = 0;
    std::uint64_t window_arrived_bytes_ = 0;
    std::uint32_t window_packets_ = 0;
    std::uint32_t window_lost_ = 0;
    double loss_ = 0;                    // of the last closed window
    std::uint64_t arrived_bitrate_ = 0;  // of the last closed window

    std::uint64_t estimate_ = max_bitrate;
    std::uint64_t remb_ = max_bitrate;
    bool known_ = false;
    Clock::time_point last_decrease_{};
    Clock::time_point last_trouble_{};  // a decrease, or a window with loss
    Clock::time_point last_growth_{};
};

}  // namespace vg::rtc::room
