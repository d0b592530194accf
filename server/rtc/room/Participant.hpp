#pragma once
// One participant of a call session on a worker: its transport, what it negotiated, and the
// forwarding state the Room keeps for it. Plain state; the Room holds the rules.
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/TokenBucket.hpp"
#include "rtc/room/DownlinkEstimate.hpp"
#include "rtc/room/MediaSettings.hpp"
#include "rtc/room/Negotiation.hpp"
#include "rtc/room/ParticipantQuality.hpp"
#include "rtc/rtp/RtpPacket.hpp"
#include "rtc/sctp/SctpAssociation.hpp"
#include "rtc/transport/TransportCcFeedback.hpp"
#include "rtc/transport/WebRtcTransport.hpp"

namespace vg::rtc::room {

class Participant {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::uint8_t no_payload_type = 0xff;

    // One track we send to this participant: a media section carrying one other participant's
    // audio or video. Its mid and SSRC never change; the sender may (a free slot is reused).
    struct Slot {
        std::string mid;
        MediaKind kind = MediaKind::Audio;
        std::uint32_t ssrc = 0;
        std::uint64_t sender = 0;  // who should feed it, 0: free
        // Whose track our last offer announced on it; 0: nobody's, or the first answer's
        // unnamed track, which any sender may feed without renegotiation.
        std::uint64_t announced = 0;
        // Our RTX SSRC paired with ssrc (announced with it in a FID group); 0: none.
        std::uint32_t rtx_ssrc = 0;
    };

    // What we send to this participant on one of its receiving sections: which other
    // participant feeds it and how that one's packets are renumbered for this receiver.
    struct OutgoingStream {
        std::uint64_t source = 0;  // participant id, 0 while unfed (set by Room::renegotiate)
        std::uint32_t source_ssrc = 0;
        bool rebased = false;                           // offsets set for source_ssrc
        std::array<std::uint8_t, 128> payload_types{};  // source PT -> ours, or no_payload_type
        rtp::ExtensionIdMap extension_ids{};            // source id -> ours, 0 drops
        std::uint16_t sequence_offset = 0;
        std::uint32_t timestamp_offset = 0;
        bool sent_any = false;
        std::uint16_t last_sequence = 0;  // highest sent
        std::uint32_t last_timestamp = 0;
        Clock::time_point last_sent{};
        std::uint32_t clock_rate = 90000;
        // The next sequence number on our RTX SSRC of the section (its own numbering, RFC 4588
        // section 4): a resent packet never reuses the SRTP index of its first sending.
        std::uint16_t rtx_sequence = 0;
    };

    // negotiation: nullptr for a participant whose tracks are fixed by its settings (no SDP).
    Participant(std::uint64_t id, std::string room_id, std::string role, MediaSettings settings,
                std::unique_ptr<transport::WebRtcTransport> transport,
                std::shared_ptr<Negotiation> negotiation = nullptr);

    std::uint64_t id() const { return id_; }
    const std::string& room_id() const { return room_id_; }
    const std::string& role() const { return role_; }
    const MediaSettings& settings() const { return settings_; }
    transport::WebRtcTransport& transport() { return *transport_; }
    // The settings after an accepted renegotiation: the same sections first, new ones after.
    void renegotiated(MediaSettings settings);
    Negotiation* negotiation() { return negotiation_.get(); }
    std::vector<Slot>& slots() { return slots_; }
    // The section of a mid, or -1.
    int section_of_mid(std::string_view mid) const;

    // The sending section a payload type belongs to (BUNDLE keeps them distinct), or -1.
    int section_of_payload_type(std::uint8_t payload_type) const {
        return payload_type < 128 ? section_by_payload_type_[payload_type] : -1;
    }
    // For an RTX payload type, the payload type of the packets it repairs; -1 otherwise.
    int repaired_payload_type(std::uint8_t payload_type) const {
        return payload_type < 128 ? repaired_by_rtx_[payload_type] : -1;
    }
    // The one section of a kind whose media we forward (the first the participant sends on),
    // or -1.
    int sending_section(MediaKind kind) const {
        return sending_section_[kind == MediaKind::Audio ? 0 : 1];
    }
    // The section that carries sender's track of this kind to this participant, or -1.
    int section_fed_by(std::uint64_t sender, MediaKind kind) const;
    // The section we send on with this SSRC, or -1.
    int section_sent_as(std::uint32_t ssrc) const;
    // The payload type the participant negotiated on a section it receives on to carry RTX
    // for primary (apt=primary), or -1.
    int rtx_payload_type(std::size_t section, std::uint8_t primary) const;
    OutgoingStream& outgoing(std::size_t section) { return outgoing_[section]; }
    // The latest SSRC seen on a sending section (0 before the first packet): PLI targets it.
    std::uint32_t& sending_ssrc(std::size_t section) { return sending_ssrcs_[section]; }
    std::uint32_t sending_ssrc_of(MediaKind kind) const;
    std::uint32_t local_ssrc_of(MediaKind kind) const;

    // The transport-wide sequence number extension id it negotiated (0: none), and the
    // arrivals we owe it feedback for.
    std::uint8_t transport_cc_id() const { return transport_cc_id_; }
    transport::TransportCcFeedback congestion_feedback;
    Clock::time_point last_congestion_feedback{};
    // What its downlink takes of what we send it; and, as a sender, the last REMB we sent it
    // (the lowest estimate over the receivers of its video).
    DownlinkEstimate downlink;
    Clock::time_point last_remb{};
    std::uint64_t last_remb_bitrate = 0;

    Clock::time_point last_keyframe_request{};
    // The data channels; made by the Room when the browser's first SCTP packet arrives.
    std::unique_ptr<sctp::SctpAssociation> data_channels;
    // Its chat's rate (ChatRelay), made with data_channels; and the messages over it, dropped.
    std::optional<common::TokenBucket> chat_tokens;
    std::uint64_t chat_messages_dropped = 0;
    std::uint64_t forwarded_packets = 0;
    // RTCP reports, repair and statistics (QualityFeedback).
    ParticipantQuality& quality() { return quality_; }
    const ParticipantQuality& quality() const { return quality_; }
    // How its media went, named with its id, call session and role.
    QualitySummary summary(Clock::time_point now) const;

  private:
    void index();

    std::uint64_t id_;
    std::string room_id_;
    std::string role_;
    MediaSettings settings_;
    std::unique_ptr<transport::WebRtcTransport> transport_;  // Allocated by the worker.
    std::array<int, 128> section_by_payload_type_{};
    std::array<int, 128> repaired_by_rtx_{};
    std::vector<std::uint32_t> sending_ssrcs_;
    std::vector<OutgoingStream> outgoing_;
    std::array<int, 2> sending_section_{-1, -1};  // audio, video
    std::uint8_t transport_cc_id_ = 0;            // BUNDLE: the same in every section
    std::shared_ptr<Negotiation> negotiation_;
    std::vector<Slot> slots_;
    ParticipantQuality quality_{Clock::now()};
};

}  // namespace vg::rtc::room
