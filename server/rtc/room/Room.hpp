#pragma once
// A call session on one worker: its participants, and the forwarding between them. Every RTP
// packet from one participant goes to every other, rewritten (SSRC, payload type, header
// extension ids, sequence numbers and timestamps) to what that receiver negotiated; a receiver's
// PLI or FIR becomes a keyframe request to its sender (at most one per 500 ms); a NACK is
// answered from that receiver's retransmission buffer, or else renumbered for the sender, whose
// RTX answer is forwarded as the original packet; a sender's SR is rewritten for each receiver
// so lip sync still works. We ask senders for the packets we miss and send them receiver
// reports (QualityFeedback). Each receiver's transport-cc feedback on what we send it makes an
// estimate of its downlink (DownlinkEstimate); every sender gets a REMB with the lowest
// estimate over the receivers of its video, so that a slow receiver slows its sender down.
//
// Each participant receives one audio and one video track per other participant that sends
// them, each on its own slot (section, mid, SSRC). renegotiate() gives every sender's tracks a
// slot with each receiver: first a free slot the receiver already receives on (so a two-party
// call needs no renegotiation), else a free slot of the kind, else a new one; a leaver's slots
// become free and are reused. Where the receiver must learn of a change (a new slot, a slot that
// starts or stops sending), it gets a server offer, one in flight at a time; media flows on a
// slot once the receiver's accepted description sends on it. A slot that passes from one sender
// to another (a reconnecting sender) keeps the receiver's numbering continuous.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/net/UdpSocket.hpp"
#include "rtc/room/Participant.hpp"
#include "rtc/room/QualityFeedback.hpp"
#include "rtc/rtcp/Nack.hpp"
#include "rtc/rtcp/SenderReport.hpp"
#include "rtc/sctp/SctpAssociation.hpp"

namespace vg::rtc::room {

class Room : private sctp::SctpAssociation::Listener {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr auto keyframe_interval = std::chrono::milliseconds(500);
    static constexpr auto congestion_feedback_interval = std::chrono::milliseconds(50);
    // A REMB to each sender this often, and at once when the estimate falls below
    // remb_drop_percent of the last one sent.
    static constexpr auto remb_interval = std::chrono::seconds(1);
    static constexpr std::uint64_t remb_drop_percent = 85;

    Room(std::string id, net::UdpSocket& socket);

    const std::string& id() const { return id_; }
    bool empty() const { return participants_.empty(); }
    std::size_t size() const { return participants_.size(); }
    const std::vector<std::unique_ptr<Participant>>& participants() const { return participants_; }

    Participant& add(std::unique_ptr<Participant> participant);
    // Removes and hands back the participant (nullptr if unknown); receivers it fed keep their
    // numbering for whoever feeds them next.
    std::unique_ptr<Participant> remove(std::uint64_t participant_id);
    Participant* find(std::uint64_t participant_id);

    // A server offer a participant's browser must answer.
    struct Offer {
        std::uint64_t participant_id = 0;
        std::string sdp;
    };
    // After a participant came or went, or an answer was accepted: matches every receiver's
    // slots to the other participants' tracks, points the forwarding at them, and returns the
    // offers to send (to participants whose negotiation is open and has nothing pending).
    std::vector<Offer> renegotiate();
    // The browser's answer to the participant's pending offer; false with the reason when it
    // is refused (nothing changes). renegotiate() should follow either way.
    bool accept_answer(Participant& participant, std::string_view answer_sdp, std::string& error);

    // A participant's transport is ready: ask the others for a keyframe it can start from.
    void on_connected(Participant& participant, Clock::time_point now);
    void forward_rtp(Participant& from, rtp::RtpPacket& packet, Clock::time_point now);
    void on_rtcp(Participant& from, std::span<std::uint8_t> compound, Clock::time_point now);
    // DTLS application data from a participant: the SCTP packets of its data channels. Text
    // on its `chat` channel goes to every other participant's `chat` channel.
    void on_data(Participant& from, std::span<const std::uint8_t> data);
    // Periodic work: transport-wide congestion feedback and REMB to every sender; NACKs for
    // what we miss and receiver reports (QualityFeedback).
    void on_tick(Clock::time_point now);
    // Sends a PLI to the sender's video, unless one went less than keyframe_interval ago.
    void request_keyframe(Participant& sender, Clock::time_point now);

    static constexpr std::string_view chat_label = "chat";

  private:
    void on_sctp_send(sctp::SctpAssociation& association,
                      std::span<const std::uint8_t> packet) override;
    void on_sctp_message(sctp::SctpAssociation& association,
                         const sctp::SctpAssociation::Channel& channel,
                         sctp::SctpAssociation::MessageType type,
                         std::span<const std::uint8_t> payload) override;
    void assign_slots(Participant& receiver);
    // Points each of the receiver's sections at the sender of its slot, if it sends on it.
    void feed(Participant& receiver);
    std::optional<Offer> offer_to(Participant& receiver);
    void bind(Participant::OutgoingStream& stream, const MediaSection& receiver_section,
              const MediaSection& sender_section);
    void forward_sender_report(Participant& from, const rtcp::SenderInfo& info,
                               Clock::time_point now);
    // Asks the sender that feeds this receiver's stream media_ssrc for these packets again.
    void forward_nack(Participant& from, std::uint32_t media_ssrc,
                      std::span<const std::uint16_t> sequences);
    // The lowest downlink estimate over the receivers of the sender's video, shared among the
    // senders each receives, as a REMB: once per remb_interval, or at once if it fell.
    void send_remb(Participant& sender, Clock::time_point now);
    // Protects the datagram in slot and queues it to the participant; drops it otherwise.
    void send_rtcp(Participant& to, std::uint8_t* slot, std::size_t size);

    std::string id_;
    net::UdpSocket& socket_;
    QualityFeedback quality_feedback_;
    std::vector<std::unique_ptr<Participant>> participants_;
    std::mt19937 random_;  // SSRCs of new slots
};

}  // namespace vg::rtc::room
