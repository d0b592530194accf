#include "rtc/room/Room.hpp"

#include <strings.h>

#include <algorithm>
#include <cstring>

#include "common/Log.hpp"
#include "rtc/rtcp/CompoundPacket.hpp"
#include "rtc/rtcp/FeedbackPacket.hpp"
#include "rtc/rtcp/Nack.hpp"
#include "rtc/rtcp/ReceiverReport.hpp"
#include "rtc/rtcp/Remb.hpp"
#include "rtc/rtcp/TransportCc.hpp"
#include "rtc/rtcp/Writer.hpp"
#include "rtc/rtp/ByteOrder.hpp"
#include "rtc/srtp/SrtpSession.hpp"

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

}  // namespace

Room::Room(std::string id, net::UdpSocket& socket)
    : id_(std::move(id)),
      socket_(socket),
      quality_feedback_(socket),
      random_(std::random_device{}()) {}

Participant& Room::add(std::unique_ptr<Participant> participant) {
    participants_.push_back(std::move(participant));
    return *participants_.back();
}

std::unique_ptr<Participant> Room::remove(std::uint64_t participant_id) {
    const auto found =
        std::find_if(participants_.begin(), participants_.end(),
                     [&](const auto& participant) { return participant->id() == participant_id; });
    if (found == participants_.end()) return nullptr;
    auto removed = std::move(*found);
    participants_.erase(found);
    for (auto& receiver : participants_)
        for (std::size_t i = 0; i < receiver->settings().sections.size(); ++i)
            if (receiver->outgoing(i).source == participant_id) {
                receiver->outgoing(i).source = 0;
                receiver->outgoing(i).rebased = false;
            }
    return removed;
}

Participant* Room::find(std::uint64_t participant_id) {
    for (auto& participant : participants_)
        if (participant->id() == participant_id) return participant.get();
    return nullptr;
}

void Room::on_connected(Participant& participant, Clock::time_point now) {
    for (auto& other : participants_)
        if (other.get() != &participant) request_keyframe(*other, now);
}

std::vector<Room::Offer> Room::renegotiate() {
    std::vector<Offer> offers;
    for (auto& receiver : participants_) {
        assign_slots(*receiver);
        feed(*receiver);
        if (auto offer = offer_to(*receiver)) offers.push_back(std::move(*offer));
    }
    return offers;
}

bool Room::accept_answer(Participant& participant, std::string_view answer_sdp,
                         std::string& error) {
    Negotiation* negotiation = participant.negotiation();
    if (negotiation == nullptr) {
        error = "no offer is waiting for an answer";
        return false;
    }
    auto settings = negotiation->accept(answer_sdp, &error);
    if (!settings) return false;
    participant.renegotiated(std::move(*settings));
    return true;
}

void Room::assign_slots(Participant& receiver) {
    auto& slots = receiver.slots();
    for (auto& slot : slots) {
        const Participant* sender = slot.sender == 0 ? nullptr : find(slot.sender);
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
                std::uint32_t ssrc = 0;
                while (ssrc == 0 || std::any_of(slots.begin(), slots.end(), [&](const auto& slot) {
                           return slot.ssrc == ssrc;
                       }))
                    ssrc = static_cast<std::uint32_t>(random_());
                slots.push_back({negotiation->new_mid(), kind, ssrc, 0, 0});
                chosen = &slots.back();
            }
            if (chosen != nullptr) chosen->sender = sender->id();
        }
    }
}

void Room::feed(Participant& receiver) {
    const auto& sections = receiver.settings().sections;
    for (std::size_t i = 0; i < sections.size(); ++i) {
        std::uint64_t source = 0;
        if (sections[i].receives)
            for (const auto& slot : receiver.slots())
                if (slot.mid == sections[i].mid) source = slot.sender;
        const Participant* sender = source == 0 ? nullptr : find(source);
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

std::optional<Room::Offer> Room::offer_to(Participant& receiver) {
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
        stream.streamId = "vg-" + std::to_string(slot.sender);
        stream.trackId = stream.streamId + "-" + stream.kind;
        stream.cname = stream.streamId;
        stream.ssrc = slot.ssrc;
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

void Room::bind(Participant::OutgoingStream& stream, const MediaSection& receiver_section,
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

void Room::forward_rtp(Participant& from, rtp::RtpPacket& packet, Clock::time_point now) {
    // Every packet counts for the sender's congestion control, probes and RTX included.
    if (from.transport_cc_id() != 0 && packet.hasExtension())
        if (const auto sequence = packet.extension(from.transport_cc_id());
            sequence && sequence->size() >= 2)
            from.congestion_feedback.on_packet(rtp::read16(sequence->data()), now);

    const int section_index = from.section_of_payload_type(packet.payloadType());
    if (section_index < 0) return;
    const auto section_at = static_cast<std::size_t>(section_index);
    const auto& section = from.settings().sections[section_at];
    // One track per kind and sender: the receivers have one slot for it.
    if (section_index != from.sending_section(section.kind)) return;

    // A retransmission in RTX (RFC 4588) is forwarded as the original packet: receivers get one
    // SSRC per section from us and no RTX stream. RTX without payload is bandwidth probing.
    auto payload = packet.payload();
    std::uint8_t payload_type = packet.payloadType();
    std::uint16_t sequence = packet.sequenceNumber();
    std::uint32_t ssrc = packet.ssrc();
    const bool retransmission = from.repaired_payload_type(payload_type) >= 0;
    if (const int repaired = from.repaired_payload_type(payload_type); repaired >= 0) {
        ssrc = from.sending_ssrc(section_at);
        if (payload.size() <= 2 || ssrc == 0) return;
        sequence = rtp::read16(payload.data());
        payload_type = static_cast<std::uint8_t>(repaired);
        payload = payload.subspan(2);
    } else {
        from.sending_ssrc(section_at) = ssrc;
    }
    const std::size_t header_size = packet.headerSize();
    const std::size_t size = header_size + payload.size();
    if (size + srtp::SrtpSession::max_trailer > net::UdpSocket::buffer_size) return;
    // A retransmission of what we already have (asked twice, or late) would only be a duplicate.
    if (!from.quality().on_received(section_at, ssrc, sequence, packet.timestamp(), size,
                                    retransmission, now))
        return;

    for (auto& receiver_pointer : participants_) {
        Participant& receiver = *receiver_pointer;
        if (&receiver == &from || !receiver.transport().connected()) continue;
        const int receiving = receiver.section_fed_by(from.id(), section.kind);
        if (receiving < 0) continue;
        const auto& receiver_section =
            receiver.settings().sections[static_cast<std::size_t>(receiving)];
        auto& stream = receiver.outgoing(static_cast<std::size_t>(receiving));
        const std::uint8_t mapped_type = stream.payload_types[payload_type];
        if (mapped_type == Participant::no_payload_type) continue;

        if (!stream.rebased || stream.source_ssrc != ssrc) {
            // A new source stream: continue the receiver's numbering where it stopped, and
            // advance its clock by the time that passed.
            if (stream.sent_any) {
                const auto elapsed =
                    std::chrono::duration_cast<std::chrono::milliseconds>(now - stream.last_sent);
                const auto step = std::max<std::int64_t>(
                    1, elapsed.count() * static_cast<std::int64_t>(stream.clock_rate) / 1000);
                stream.sequence_offset =
                    static_cast<std::uint16_t>(stream.last_sequence + 1 - sequence);
                stream.timestamp_offset = static_cast<std::uint32_t>(
                    stream.last_timestamp + static_cast<std::uint32_t>(step) - packet.timestamp());
            }
            stream.source_ssrc = ssrc;
            stream.rebased = true;
            if (section.kind == MediaKind::Video) request_keyframe(from, now);
        }

        std::uint8_t* slot = socket_.prepare_send();
        std::memcpy(slot, packet.bytes().data(), header_size);
        std::memcpy(slot + header_size, payload.data(), payload.size());
        slot[0] &= 0xdf;  // padding, if any, was left out
        auto copy = rtp::RtpPacket::parse({slot, size});
        if (!copy) continue;
        const auto out_sequence = static_cast<std::uint16_t>(sequence + stream.sequence_offset);
        const auto out_timestamp = packet.timestamp() + stream.timestamp_offset;
        copy->setSsrc(receiver_section.local_ssrc);
        copy->setPayloadType(mapped_type);
        copy->setSequenceNumber(out_sequence);
        copy->setTimestamp(out_timestamp);
        if (copy->hasExtension()) copy->remapExtensionIds(stream.extension_ids);
        receiver.downlink.on_sent(*copy, receiver.transport_cc_id(), now);
        if (!stream.sent_any ||
            static_cast<std::int16_t>(out_sequence - stream.last_sequence) > 0) {
            stream.last_sequence = out_sequence;
            stream.last_timestamp = out_timestamp;
        }
        stream.sent_any = true;
        stream.last_sent = now;
        receiver.quality().on_sent(static_cast<std::size_t>(receiving), out_sequence, {slot, size},
                                   payload.size(), now);
        std::size_t protected_size = size;
        if (receiver.transport().protect_rtp(slot, protected_size, net::UdpSocket::buffer_size)) {
            socket_.commit_send(protected_size, *receiver.transport().remote_address());
            ++from.forwarded_packets;
        }
    }
}

void Room::on_rtcp(Participant& from, std::span<std::uint8_t> compound, Clock::time_point now) {
    rtcp::CompoundPacket packets(compound);
    while (const auto packet = packets.next()) {
        if (packet->type() == rtcp::PacketType::PayloadFeedback &&
            (packet->count() == rtcp::fmt::kPli || packet->count() == rtcp::fmt::kFir)) {
            // The media SSRC names the slot (ours); a FIR carries it in its entries instead.
            const auto feedback = rtcp::FeedbackPacket::parse(*packet);
            if (!feedback) continue;
            std::uint32_t media_ssrc = feedback->mediaSsrc();
            if (packet->count() == rtcp::fmt::kFir && feedback->fci().size() >= 8)
                media_ssrc = rtp::read32(feedback->fci().data());
            const int receiving = from.section_sent_as(media_ssrc);
            if (receiving < 0) continue;
            const auto source = from.outgoing(static_cast<std::size_t>(receiving)).source;
            if (Participant* sender = source == 0 ? nullptr : find(source))
                request_keyframe(*sender, now);
        } else if (packet->type() == rtcp::PacketType::PayloadFeedback &&
                   packet->count() == rtcp::fmt::kApplicationLayer) {
            const auto feedback = rtcp::FeedbackPacket::parse(*packet);
            if (const auto remb = feedback ? rtcp::Remb::parse(*feedback) : std::nullopt)
                from.downlink.on_remb(remb->bitrate());
        } else if (packet->type() == rtcp::PacketType::TransportFeedback &&
                   packet->count() == rtcp::fmt::kTransportCc) {
            // On what we sent it, numbered by us (DownlinkEstimate::on_sent).
            const auto feedback = rtcp::FeedbackPacket::parse(*packet);
            if (const auto twcc = feedback ? rtcp::TransportCc::parse(*feedback) : std::nullopt)
                from.downlink.on_feedback(*twcc, now);
        } else if (packet->type() == rtcp::PacketType::TransportFeedback &&
                   packet->count() == rtcp::fmt::kNack) {
            const auto feedback = rtcp::FeedbackPacket::parse(*packet);
            const auto nack = feedback ? rtcp::Nack::parse(*feedback) : std::nullopt;
            if (!nack) continue;
            std::array<std::uint16_t, 128> missing{};
            const std::size_t count = quality_feedback_.answer_nack(from, *nack, now, missing);
            if (count > 0) forward_nack(from, nack->mediaSsrc(), {missing.data(), count});
        } else if (packet->type() == rtcp::PacketType::SenderReport) {
            if (const auto report = rtcp::SenderReport::parse(*packet)) {
                quality_feedback_.on_sender_report(from, *report, now);
                forward_sender_report(from, report->info(), now);
            }
        } else if (packet->type() == rtcp::PacketType::ReceiverReport) {
            if (const auto report = rtcp::ReceiverReport::parse(*packet))
                quality_feedback_.on_receiver_report(from, *report, now);
        }
    }
}

void Room::send_remb(Participant& sender, Clock::time_point now) {
    const std::uint32_t video_ssrc = sender.sending_ssrc_of(MediaKind::Video);
    if (video_ssrc == 0 || !sender.transport().connected()) return;
    // Each receiver's downlink is shared by everyone it receives from.
    std::uint64_t lowest = 0;
    for (const auto& receiver : participants_) {
        if (receiver.get() == &sender || !receiver->downlink.known() ||
            receiver->section_fed_by(sender.id(), MediaKind::Video) < 0)
            continue;
        const auto senders =
            std::count_if(participants_.begin(), participants_.end(), [&](const auto& other) {
                return receiver->section_fed_by(other->id(), MediaKind::Video) >= 0;
            });
        const std::uint64_t share =
            receiver->downlink.bitrate() / static_cast<std::uint64_t>(std::max<long>(1, senders));
        if (lowest == 0 || share < lowest) lowest = share;
    }
    if (lowest == 0) return;
    const bool fell = lowest < sender.last_remb_bitrate * remb_drop_percent / 100;
    if (!fell && now - sender.last_remb < remb_interval) return;
    const std::array<std::uint32_t, 2> ssrcs{video_ssrc, sender.sending_ssrc_of(MediaKind::Audio)};
    const std::uint32_t our_ssrc = sender.local_ssrc_of(MediaKind::Video);
    rtcp::Writer writer(
        {socket_.prepare_send(), net::UdpSocket::buffer_size - srtp::SrtpSession::max_trailer});
    if (!writer.addRemb(our_ssrc != 0 ? our_ssrc : 1, lowest,
                        {ssrcs.data(), ssrcs[1] != 0 ? 2U : 1U}))
        return;
    sender.last_remb = now;
    sender.last_remb_bitrate = lowest;
    send_rtcp(sender, writer.bytes().data(), writer.size());
}

void Room::forward_nack(Participant& from, std::uint32_t media_ssrc,
                        std::span<const std::uint16_t> sequences) {
    // The receiver names packets in our numbering for it; the sender knows its own.
    for (std::size_t i = 0; i < from.settings().sections.size(); ++i) {
        const auto& stream = from.outgoing(i);
        if (from.settings().sections[i].local_ssrc != media_ssrc || !stream.rebased) continue;
        Participant* sender = find(stream.source);
        if (sender == nullptr) return;
        std::array<std::uint16_t, 128> lost{};
        std::size_t count = 0;
        for (const std::uint16_t sequence : sequences)
            if (count < lost.size())
                lost[count++] = static_cast<std::uint16_t>(sequence - stream.sequence_offset);
        const std::uint32_t our_ssrc = sender->local_ssrc_of(from.settings().sections[i].kind);
        rtcp::Writer writer({socket_.prepare_send(), net::UdpSocket::buffer_size});
        if (writer.addNack(our_ssrc != 0 ? our_ssrc : 1, stream.source_ssrc, {lost.data(), count}))
            send_rtcp(*sender, writer.bytes().data(), writer.size());
        return;
    }
}

void Room::forward_sender_report(Participant& from, const rtcp::SenderInfo& info,
                                 Clock::time_point now) {
    for (auto& receiver_pointer : participants_) {
        Participant& receiver = *receiver_pointer;
        if (&receiver == &from || !receiver.transport().connected()) continue;
        for (std::size_t i = 0; i < receiver.settings().sections.size(); ++i) {
            const auto& stream = receiver.outgoing(i);
            if (stream.source != from.id() || !stream.rebased || stream.source_ssrc != info.ssrc)
                continue;
            // Sender info only: the report blocks describe what `from` received, not ours.
            rtcp::SenderInfo rewritten = info;
            rewritten.ssrc = receiver.settings().sections[i].local_ssrc;
            rewritten.rtpTimestamp = info.rtpTimestamp + stream.timestamp_offset;
            // The counts are of what this receiver got from us on this SSRC.
            if (const auto* sent = receiver.quality().outgoing(i)) {
                rewritten.packetCount = sent->packets;
                rewritten.octetCount = sent->octets;
            }
            rtcp::Writer writer({socket_.prepare_send(), net::UdpSocket::buffer_size});
            if (writer.addSenderReport(rewritten, {})) {
                receiver.quality().on_sender_report_sent(rewritten.ntpTimestamp, now);
                send_rtcp(receiver, writer.bytes().data(), writer.size());
            }
        }
    }
}

void Room::on_data(Participant& from, std::span<const std::uint8_t> data) {
    if (!from.data_channels) {
        sctp::SctpAssociation::Options options;
        options.id = from.id();
        options.dtls_client = from.transport().dtls_client();
        try {
            from.data_channels = std::make_unique<sctp::SctpAssociation>(
                options, static_cast<sctp::SctpAssociation::Listener&>(*this));
        } catch (const std::exception& error) {
            common::log::get("sctp")->error("participant {}: no data channels: {}", from.id(),
                                            error.what());
            return;
        }
    }
    from.data_channels->receive(data);
}

void Room::on_sctp_send(sctp::SctpAssociation& association, std::span<const std::uint8_t> packet) {
    if (Participant* participant = find(association.id()))
        participant->transport().send_application_data(packet);
}

void Room::on_sctp_message(sctp::SctpAssociation& association,
                           const sctp::SctpAssociation::Channel& channel,
                           sctp::SctpAssociation::MessageType type,
                           std::span<const std::uint8_t> payload) {
    if (channel.label != chat_label || type != sctp::SctpAssociation::MessageType::Text) return;
    const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
    for (auto& other : participants_)
        if (other->id() != association.id() && other->data_channels)
            other->data_channels->send_text(chat_label, text);
}

void Room::on_tick(Clock::time_point now) {
    for (auto& participant : participants_) {
        if (participant->data_channels) participant->data_channels->on_tick();
        if (participant->transport().connected()) quality_feedback_.on_tick(*participant, now);
        send_remb(*participant, now);
        if (!participant->congestion_feedback.has_pending() ||
            now - participant->last_congestion_feedback < congestion_feedback_interval ||
            !participant->transport().connected())
            continue;
        participant->last_congestion_feedback = now;
        std::uint32_t media_ssrc = participant->sending_ssrc_of(MediaKind::Video);
        if (media_ssrc == 0) media_ssrc = participant->sending_ssrc_of(MediaKind::Audio);
        const std::uint32_t our_ssrc = participant->local_ssrc_of(MediaKind::Video);
        std::uint8_t* slot = socket_.prepare_send();
        const std::size_t size = participant->congestion_feedback.write(
            slot, net::UdpSocket::buffer_size - srtp::SrtpSession::max_trailer,
            our_ssrc != 0 ? our_ssrc : 1, media_ssrc);
        if (size != 0) send_rtcp(*participant, slot, size);
    }
}

void Room::request_keyframe(Participant& sender, Clock::time_point now) {
    if (!sender.transport().connected()) return;
    if (sender.last_keyframe_request != Clock::time_point{} &&
        now - sender.last_keyframe_request < keyframe_interval)
        return;
    const std::uint32_t media_ssrc = sender.sending_ssrc_of(MediaKind::Video);
    if (media_ssrc == 0) return;
    sender.last_keyframe_request = now;
    const std::uint32_t our_ssrc = sender.local_ssrc_of(MediaKind::Video);
    rtcp::Writer writer({socket_.prepare_send(), net::UdpSocket::buffer_size});
    if (writer.addPli(our_ssrc != 0 ? our_ssrc : 1, media_ssrc))
        send_rtcp(sender, writer.bytes().data(), writer.size());
}

void Room::send_rtcp(Participant& to, std::uint8_t* slot, std::size_t size) {
    if (to.transport().protect_rtcp(slot, size, net::UdpSocket::buffer_size))
        socket_.commit_send(size, *to.transport().remote_address());
}

}  // namespace vg::rtc::room
