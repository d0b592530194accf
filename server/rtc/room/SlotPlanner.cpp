#include "rtc/room/SlotPlanner.hpp"

#include <strings.h>

#include <algorithm>

#include "common/Log.hpp"

namespace vg::rtc::room {
namespace {

bool same_codec(const CodecSetting& a, const CodecSetting& b) {
    return strcasecmp(a.name.c_str(), b.name.c_str()) == 0 && a.clock_rate == b.clock_rate &&
           strcasecmp(a.profile_level_id.c_str(), b.profile_level_id.c_str()) == 0;
}

// Retransmission and redundancy wrap another packet's numbering; forwarding them unchanged
// would confuse the receiver, so only primary media codecs are mapped.
bool forwardable(const CodecSetting& codec) {
    for (const char* name : {"rtx", "red", "ulpfec", "flexfec-03"})
        if (strcasecmp(codec.name.c_str(), name) == 0) return false;
    return true;
}

// Extensions that name the sender's own sections or layers mean nothing to the receiver, whose
// SDP declares our SSRCs instead.
bool forwardable(const ExtensionSetting& extension) {
    for (const char* uri :
         {"urn:ietf:params:rtp-hdrext:sdes:mid", "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
          "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"})
        if (extension.uri == uri) return false;
    return true;
}

// Whether the receiver negotiated RTX for its video (new sections copy the first one's codecs).
bool takes_rtx(const Participant& receiver) {
    for (const auto& section : receiver.settings().sections)
        if (section.kind == MediaKind::Video)
            for (const auto& codec : section.codecs)
                if (codec.associated_payload_type >= 0) return true;
    return false;
}

}  // namespace

std::uint32_t SlotPlanner::new_ssrc(const std::vector<Participant::Slot>& slots,
                                    std::uint32_t also_taken) {
    const auto taken = [&](std::uint32_t ssrc) {
        return ssrc == 0 || ssrc == also_taken ||
               std::any_of(slots.begin(), slots.end(), [&](const auto& slot) {
                   return slot.ssrc == ssrc || slot.rtx_ssrc == ssrc;
               });
    };
    std::uint32_t ssrc = 0;
    while (taken(ssrc)) ssrc = static_cast<std::uint32_t>(random_());
    return ssrc;
}

SlotPlanner::SlotPlanner(const ParticipantList& participants)
    : participants_(participants), random_(std::random_device{}()) {}

std::optional<SlotPlanner::Offer> SlotPlanner::plan(Participant& receiver) {
    assign_slots(receiver);
    feed(receiver);
    return offer_to(receiver);
}

void SlotPlanner::assign_slots(Participant& receiver) {
    auto& slots = receiver.slots();
    for (auto& slot : slots) {
        const Participant* sender = slot.sender == 0 ? nullptr : participants_.find(slot.sender);
        if (sender == nullptr || sender->sending_section(slot.kind) < 0) slot.sender = 0;
    }
    Negotiation* negotiation = receiver.negotiation();
    for (const auto& sender : participants_) {
        if (sender.get() == &receiver) continue;
        for (const auto kind : {MediaKind::Audio, MediaKind::Video}) {
            if (sender->sending_section(kind) < 0) continue;
            const auto has = [&](const Participant::Slot& slot) {
                return slot.sender == sender->id() && slot.kind == kind;
            };
            if (std::any_of(slots.begin(), slots.end(), has)) continue;
            // A slot the receiver already receives on needs no renegotiation.
            Participant::Slot* chosen = nullptr;
            for (auto& slot : slots) {
                if (slot.sender != 0 || slot.kind != kind) continue;
                const int section = receiver.section_of_mid(slot.mid);
                const bool live =
                    section >= 0 &&
                    receiver.settings().sections[static_cast<std::size_t>(section)].receives;
                if (chosen == nullptr || live) chosen = &slot;
                if (live) break;
            }
            if (chosen == nullptr && negotiation != nullptr) {
                const std::uint32_t ssrc = new_ssrc(slots, 0);
                slots.push_back(
                    {negotiation->new_mid(), kind, ssrc, 0, 0,
                     kind == MediaKind::Video && takes_rtx(receiver) ? new_ssrc(slots, ssrc) : 0});
                chosen = &slots.back();
            }
            if (chosen != nullptr) chosen->sender = sender->id();
        }
    }
}

void SlotPlanner::feed(Participant& receiver) {
    const auto& sections = receiver.settings().sections;
    for (std::size_t i = 0; i < sections.size(); ++i) {
        std::uint64_t source = 0;
        if (sections[i].receives)
            for (const auto& slot : receiver.slots())
                if (slot.mid == sections[i].mid) source = slot.sender;
        const Participant* sender = source == 0 ? nullptr : participants_.find(source);
        const int sending = sender == nullptr ? -1 : sender->sending_section(sections[i].kind);
        auto& stream = receiver.outgoing(i);
        if (sending < 0) {
            stream.source = 0;
            stream.rebased = false;
            continue;
        }
        if (stream.source != source) {
            stream.source = source;
            stream.rebased = false;
        }
        // Payload types and extension ids again: a renegotiation may have changed them.
        bind(stream, sections[i], sender->settings().sections[static_cast<std::size_t>(sending)]);
    }
}

std::optional<SlotPlanner::Offer> SlotPlanner::offer_to(Participant& receiver) {
    Negotiation* negotiation = receiver.negotiation();
    if (negotiation == nullptr || !negotiation->open || negotiation->pending()) return std::nullopt;
    // A slot must start sending, or stop announcing a sender that is gone or was replaced.
    bool changed = false;
    for (const auto& slot : receiver.slots())
        changed |= negotiation->sending(slot.mid)
                       ? slot.announced != 0 && slot.announced != slot.sender
                       : slot.sender != 0;
    if (!changed) return std::nullopt;
    std::vector<sdp::OutgoingStream> streams;
    for (auto& slot : receiver.slots()) {
        slot.announced = slot.sender;
        if (slot.sender == 0) continue;
        // One msid stream per sender, so that the browser keeps its audio and video in sync.
        sdp::OutgoingStream stream;
        stream.mid = slot.mid;
        stream.kind = slot.kind == MediaKind::Audio ? "audio" : "video";
        stream.stream_id = "vg-" + std::to_string(slot.sender);
        stream.track_id = stream.stream_id + "-" + stream.kind;
        stream.cname = stream.stream_id;
        stream.ssrc = slot.ssrc;
        stream.rtx_ssrc = slot.rtx_ssrc;
        streams.push_back(std::move(stream));
    }
    std::string error;
    auto sdp = negotiation->offer(streams, &error);
    if (!sdp) {
        common::log::get("room")->error("participant {}: no offer: {}", receiver.id(), error);
        return std::nullopt;
    }
    return Offer{receiver.id(), std::move(*sdp)};
}

void SlotPlanner::bind(Participant::OutgoingStream& stream, const MediaSection& receiver_section,
                       const MediaSection& sender_section) {
    stream.payload_types.fill(Participant::no_payload_type);
    for (const auto& codec : sender_section.codecs) {
        if (!forwardable(codec) || codec.payload_type >= 128) continue;
        for (const auto& ours : receiver_section.codecs)
            if (same_codec(codec, ours)) {
                stream.payload_types[codec.payload_type] = ours.payload_type;
                break;
            }
    }
    stream.extension_ids.fill(0);
    for (const auto& extension : sender_section.extensions) {
        if (!forwardable(extension)) continue;
        for (const auto& ours : receiver_section.extensions)
            if (ours.uri == extension.uri) stream.extension_ids[extension.id] = ours.id;
    }
    for (const auto& codec : receiver_section.codecs)
        if (forwardable(codec)) {
            stream.clock_rate = codec.clock_rate;
            break;
        }
}

}  // namespace vg::rtc::room
