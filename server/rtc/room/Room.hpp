#pragma once
// A call session on one worker: its participants, and the forwarding between them. Every RTP
// packet from one participant goes to every other, rewritten (SSRC, payload type, header
// extension ids, sequence numbers and timestamps) to what that receiver negotiated, on the slot
// the receiver has for that sender's track (SlotPlanner). The RTCP between them goes through
// RtcpHandler, the RTCP we send on our own account (NACKs, receiver reports, answers from the
// retransmission buffers) through QualityFeedback, the data channels through ChatRelay. A slot
// that passes from one sender to another (a reconnecting sender) keeps the receiver's numbering
// continuous.
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/net/UdpSocket.hpp"
#include "rtc/room/ChatRelay.hpp"
#include "rtc/room/Participant.hpp"
#include "rtc/room/ParticipantList.hpp"
#include "rtc/room/QualityFeedback.hpp"
#include "rtc/room/RtcpHandler.hpp"
#include "rtc/room/SlotPlanner.hpp"

namespace vg::rtc::room {

class Room {
  public:
    using Clock = std::chrono::steady_clock;
    using Offer = SlotPlanner::Offer;

    Room(std::string id, net::UdpSocket& socket);

    const std::string& id() const { return id_; }
    bool empty() const { return participants_.empty(); }
    std::size_t size() const { return participants_.size(); }
    const ParticipantList::Storage& participants() const { return participants_.all(); }

    Participant& add(std::unique_ptr<Participant> participant);
    // Removes and hands back the participant (nullptr if unknown); receivers it fed keep their
    // numbering for whoever feeds them next.
    std::unique_ptr<Participant> remove(std::uint64_t participant_id);
    Participant* find(std::uint64_t participant_id) { return participants_.find(participant_id); }

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
    void on_rtcp(Participant& from, std::span<std::uint8_t> compound, Clock::time_point now) {
        rtcp_.on_rtcp(from, compound, now);
    }
    void on_data(Participant& from, std::span<const std::uint8_t> data, Clock::time_point now) {
        chat_.on_data(from, data, now);
    }
    // Periodic work: data channel timers; NACKs for what we miss and receiver reports
    // (QualityFeedback); transport-wide congestion feedback and REMB to every sender.
    void on_tick(Clock::time_point now);

  private:
    std::string id_;
    net::UdpSocket& socket_;
    ParticipantList participants_;
    QualityFeedback quality_feedback_;
    SlotPlanner slots_;
    RtcpHandler rtcp_;
    ChatRelay chat_;
};

}  // namespace vg::rtc::room
