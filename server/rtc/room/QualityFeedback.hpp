#pragma once
// The RTCP a room sends on its own account, beside what it forwards: NACKs to a sender for the
// gaps in what we received from it (so uplink loss is repaired on the uplink), answers to a
// receiver's NACK from its retransmission buffer, in RTX (downlink loss repaired on the
// downlink), and
// once a second a receiver report (RR + SDES CNAME) to each sender, so its browser knows the
// loss, jitter and round trip of its uplink. Reads and updates each participant's quality().
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "rtc/net/UdpSocket.hpp"
#include "rtc/room/Participant.hpp"
#include "rtc/rtcp/Nack.hpp"
#include "rtc/rtcp/ReceiverReport.hpp"
#include "rtc/rtcp/SenderReport.hpp"

namespace vg::rtc::room {

class QualityFeedback {
  public:
    using Clock = std::chrono::steady_clock;
    // Never ask again sooner than this, whatever the round trip.
    static constexpr auto min_nack_retry = std::chrono::milliseconds(50);
    // A packet is resent to a receiver at most once per round trip, and never sooner than this.
    static constexpr auto min_resend_interval = std::chrono::milliseconds(10);

    explicit QualityFeedback(net::UdpSocket& socket) : socket_(socket) {}

    // A receiver's NACK: resends in RTX what its retransmission buffer holds (unless resent
    // within the round trip; never to a receiver without RTX); writes the sequence numbers it does
    // not hold (in the receiver's numbering) to missing and returns how many.
    std::size_t answer_nack(Participant& receiver, const rtcp::Nack& nack, Clock::time_point now,
                            std::span<std::uint16_t> missing);
    // An SR from a sender: its NTP time for our next RR (LSR), its blocks for our round trip.
    void on_sender_report(Participant& from, const rtcp::SenderReport& report,
                          Clock::time_point now);
    void on_receiver_report(Participant& from, const rtcp::ReceiverReport& report,
                            Clock::time_point now);
    // Every tick: NACKs due; once per report interval: the receiver report.
    void on_tick(Participant& participant, Clock::time_point now);

  private:
    // Resends a packet of the receiver's section (as sent, unprotected) in RTX, if it
    // negotiated RTX there; else not at all.
    void send_rtx(Participant& receiver, std::size_t section,
                  std::span<const std::uint8_t> original, Clock::time_point now);
    void send_nacks(Participant& sender, Clock::time_point now);
    void send_receiver_report(Participant& sender, Clock::time_point now);
    void send_rtcp(Participant& to, std::uint8_t* slot, std::size_t size);

    net::UdpSocket& socket_;
};

}  // namespace vg::rtc::room
