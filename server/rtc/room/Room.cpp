#include "rtc/room/Room.hpp"

#include <algorithm>
#include <cstring>

#include "rtc/rtp/ByteOrder.hpp"
#include "rtc/srtp/SrtpSession.hpp"

namespace vg::rtc::room {

Room::Room(std::string id, net::UdpSocket& socket)
    : id_(std::move(id)),
      socket_(socket),
      quality_feedback_(socket),
      slots_(participants_),
      rtcp_(participants_, socket, quality_feedback_),
      chat_(participants_) {}

Participant& Room::add(std::unique_ptr<Participant> participant) {
    return participants_.add(std::move(participant));
}

std::unique_ptr<Participant> Room::remove(std::uint64_t participant_id) {
    auto removed = participants_.remove(participant_id);
    if (!removed) return nullptr;
    for (const auto& receiver : participants_)
        for (std::size_t i = 0; i < receiver->settings().sections.size(); ++i)
            if (receiver->outgoing(i).source == participant_id) {
                receiver->outgoing(i).source = 0;
                receiver->outgoing(i).rebased = false;
            }
    return removed;
}

void Room::on_connected(Participant& participant, Clock::time_point now) {
    for (const auto& other : participants_)
        if (other.get() != &participant) rtcp_.request_keyframe(*other, now);
}

std::vector<Room::Offer> Room::renegotiate() {
    std::vector<Offer> offers;
    for (const auto& receiver : participants_)
        if (auto offer = slots_.plan(*receiver)) offers.push_back(std::move(*offer));
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

void Room::forward_rtp(Participant& from, rtp::RtpPacket& packet, Clock::time_point now) {
    // Every packet counts for the sender's congestion control, probes and RTX included.
    if (from.transport_cc_id() != 0 && packet.has_extension())
        if (const auto sequence = packet.extension(from.transport_cc_id());
            sequence && sequence->size() >= 2)
            from.congestion_feedback.on_packet(rtp::read16(sequence->data()), now);

    const int section_index = from.section_of_payload_type(packet.payload_type());
    if (section_index < 0) return;
    const auto section_at = static_cast<std::size_t>(section_index);
    const auto& section = from.settings().sections[section_at];
    // One track per kind and sender: the receivers have one slot for it.
    if (section_index != from.sending_section(section.kind)) return;

    // A retransmission in RTX (RFC 4588) is forwarded as the original packet: receivers get one
    // SSRC per section from us and no RTX stream. RTX without payload is bandwidth probing.
    auto payload = packet.payload();
    std::uint8_t payload_type = packet.payload_type();
    std::uint16_t sequence = packet.sequence_number();
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
    const std::size_t header_size = packet.header_size();
    const std::size_t size = header_size + payload.size();
    if (size + srtp::SrtpSession::max_trailer > net::UdpSocket::buffer_size) return;
    // A retransmission of what we already have (asked twice, or late) would only be a duplicate.
    if (!from.quality().on_received(section_at, ssrc, sequence, packet.timestamp(), size,
                                    retransmission, now))
        return;

    for (const auto& receiver_pointer : participants_) {
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
            if (section.kind == MediaKind::Video) rtcp_.request_keyframe(from, now);
        }

        std::uint8_t* slot = socket_.prepare_send();
        std::memcpy(slot, packet.bytes().data(), header_size);
        std::memcpy(slot + header_size, payload.data(), payload.size());
        slot[0] &= 0xdf;  // padding, if any, was left out
        auto copy = rtp::RtpPacket::parse({slot, size});
        if (!copy) continue;
        const auto out_sequence = static_cast<std::uint16_t>(sequence + stream.sequence_offset);
        const auto out_timestamp = packet.timestamp() + stream.timestamp_offset;
        copy->set_ssrc(receiver_section.local_ssrc);
        copy->set_payload_type(mapped_type);
        copy->set_sequence_number(out_sequence);
        copy->set_timestamp(out_timestamp);
        if (copy->has_extension()) copy->remap_extension_ids(stream.extension_ids);
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

void Room::on_tick(Clock::time_point now) {
    for (const auto& participant : participants_) {
        chat_.on_tick(*participant);
        if (participant->transport().connected()) quality_feedback_.on_tick(*participant, now);
        rtcp_.on_tick(*participant, now);
    }
}

}  // namespace vg::rtc::room
