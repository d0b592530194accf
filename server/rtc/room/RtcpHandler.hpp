#pragma once
// The RTCP of a call session between its participants: a receiver's PLI or FIR becomes a
// keyframe request to its sender (at most one per keyframe_interval); a NACK is answered from
// that receiver's retransmission buffer (QualityFeedback), or else renumbered for the sender,
// whose RTX answer Room forwards as the original packet; a sender's SR is rewritten for each
// receiver so lip sync still works. Each receiver's transport-cc feedback on what we send it
// makes an estimate of its downlink (DownlinkEstimate); every sender gets a REMB with the lowest
// estimate over the receivers of its video, so that a slow receiver slows its sender down, and
// transport-wide congestion feedback on what it sent us.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "rtc/net/UdpSocket.hpp"
#include "rtc/room/Participant.hpp"
#include "rtc/room/ParticipantList.hpp"
#include "rtc/room/QualityFeedback.hpp"
#include "rtc/rtcp/SenderReport.hpp"

namespace vg::rtc::room {

class RtcpHandler {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr auto keyframe_interval = std::chrono::milliseconds(500);
    static constexpr auto congestion_feedback_interval = std::chrono::milliseconds(50);
    // A REMB to each sender this often, and at once when the estimate falls below
    // remb_drop_percent of the last one sent.
    static constexpr auto remb_interval = std::chrono::seconds(1);
    static constexpr std::uint64_t remb_drop_percent = 85;

    RtcpHandler(const ParticipantList& participants, net::UdpSocket& socket,
                QualityFeedback& quality_feedback)
        : participants_(participants), socket_(socket), quality_feedback_(quality_feedback) {}

    // A compound RTCP packet from a participant (unprotected).
    void on_rtcp(Participant& from, std::span<std::uint8_t> compound, Clock::time_point now);
    // Sends a PLI to the sender's video, unless one went less than keyframe_interval ago.
    void request_keyframe(Participant& sender, Clock::time_point now);
    // Periodic work for one participant: its REMB and its transport-wide congestion feedback.
    void on_tick(Participant& participant, Clock::time_point now);

  private:
    void forward_sender_report(Participant& from, const rtcp::SenderInfo& info,
                               Clock::time_point now);
    // Asks the sender that feeds this receiver's stream media_ssrc for these packets again.
    void forward_nack(Participant& from, std::uint32_t media_ssrc,
                      std::span<const std::uint16_t> sequences);
    // The lowest downlink estimate over the receivers of the sender's video, shared among the
    // senders each receives, as a REMB: once per remb_interval, or at once if it fell.
    void send_remb(Participant& sender, Clock::time_point now);
    void send_congestion_feedback(Participant& sender, Clock::time_point now);
    // Protects the datagram in slot and queues it to the participant; drops it otherwise.
    void send_rtcp(Participant& to, std::uint8_t* slot, std::size_t size);

    const ParticipantList& participants_;
    net::UdpSocket& socket_;
    QualityFeedback& quality_feedback_;
};

}  // namespace vg::rtc::room
