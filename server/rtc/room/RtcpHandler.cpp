#include "rtc/room/RtcpHandler.hpp"

#include <algorithm>
#include <array>

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

void RtcpHandler::on_rtcp(Participant& from, std::span<std::uint8_t> compound,
                          Clock::time_point now) {
    rtcp::CompoundPacket packets(compound);
    while (const auto packet = packets.next()) {
        if (packet->type() == rtcp::PacketType::PayloadFeedback &&
            (packet->count() == rtcp::fmt::kPli || packet->count() == rtcp::fmt::kFir)) {
            // The media SSRC names the slot (ours); a FIR carries it in its entries instead.
            const auto feedback = rtcp::FeedbackPacket::parse(*packet);
            if (!feedback) continue;
            std::uint32_t media_ssrc = feedback->media_ssrc();
            if (packet->count() == rtcp::fmt::kFir && feedback->fci().size() >= 8)
                media_ssrc = rtp::read32(feedback->fci().data());
            const int receiving = from.section_sent_as(media_ssrc);
            if (receiving < 0) continue;
            const auto source = from.outgoing(static_cast<std::size_t>(receiving)).source;
            if (Participant* sender = source == 0 ? nullptr : participants_.find(source))
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
            if (count > 0) forward_nack(from, nack->media_ssrc(), {missing.data(), count});
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

void RtcpHandler::request_keyframe(Participant& sender, Clock::time_point now) {
    if (!sender.transport().connected()) return;
    if (sender.last_keyframe_request != Clock::time_point{} &&
        now - sender.last_keyframe_request < keyframe_interval)
        return;
    const std::uint32_t media_ssrc = sender.sending_ssrc_of(MediaKind::Video);
    if (media_ssrc == 0) return;
    sender.last_keyframe_request = now;
    const std::uint32_t our_ssrc = sender.local_ssrc_of(MediaKind::Video);
    rtcp::Writer writer({socket_.prepare_send(), net::UdpSocket::buffer_size});
    if (writer.add_pli(our_ssrc != 0 ? our_ssrc : 1, media_ssrc))
        send_rtcp(sender, writer.bytes().data(), writer.size());
}

void RtcpHandler::send_remb(Participant& sender, Clock::time_point now) {
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
    if (!writer.add_remb(our_ssrc != 0 ? our_ssrc : 1, lowest,
                         {ssrcs.data(), ssrcs[1] != 0 ? 2U : 1U}))
        return;
    sender.last_remb = now;
    sender.last_remb_bitrate = lowest;
    send_rtcp(sender, writer.bytes().data(), writer.size());
}

void RtcpHandler::forward_nack(Participant& from, std::uint32_t media_ssrc,
                               std::span<const std::uint16_t> sequences) {
    // The receiver names packets in our numbering for it; the sender knows its own.
    for (std::size_t i = 0; i < from.settings().sections.size(); ++i) {
        const auto& stream = from.outgoing(i);
        if (from.settings().sections[i].local_ssrc != media_ssrc || !stream.rebased) continue;
        Participant* sender = participants_.find(stream.source);
        if (sender == nullptr) return;
        std::array<std::uint16_t, 128> lost{};
        std::size_t count = 0;
        for (const std::uint16_t sequence : sequences)
            if (count < lost.size())
                lost[count++] = static_cast<std::uint16_t>(sequence - stream.sequence_offset);
        const std::uint32_t our_ssrc = sender->local_ssrc_of(from.settings().sections[i].kind);
        rtcp::Writer writer({socket_.prepare_send(), net::UdpSocket::buffer_size});
        if (writer.add_nack(our_ssrc != 0 ? our_ssrc : 1, stream.source_ssrc, {lost.data(), count}))
            send_rtcp(*sender, writer.bytes().data(), writer.size());
        return;
    }
}

void RtcpHandler::forward_sender_report(Participant& from, const rtcp::SenderInfo& info,
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
            rewritten.rtp_timestamp = info.rtp_timestamp + stream.timestamp_offset;
            // The counts are of what this receiver got from us on this SSRC.
            if (const auto* sent = receiver.quality().outgoing(i)) {
                rewritten.packet_count = sent->packets;
                rewritten.octet_count = sent->octets;
            }
            rtcp::Writer writer({socket_.prepare_send(), net::UdpSocket::buffer_size});
            if (writer.add_sender_report(rewritten, {})) {
                receiver.quality().on_sender_report_sent(rewritten.ntp_timestamp, now);
                send_rtcp(receiver, writer.bytes().data(), writer.size());
            }
        }
    }
}

void RtcpHandler::send_rtcp(Participant& to, std::uint8_t* slot, std::size_t size) {
    if (to.transport().protect_rtcp(slot, size, net::UdpSocket::buffer_size))
        socket_.commit_send(size, *to.transport().remote_address());
}

void RtcpHandler::on_tick(Participant& participant, Clock::time_point now) {
    send_remb(participant, now);
    send_congestion_feedback(participant, now);
}

void RtcpHandler::send_congestion_feedback(Participant& participant, Clock::time_point now) {
    if (!participant.congestion_feedback.has_pending() ||
        now - participant.last_congestion_feedback < congestion_feedback_interval ||
        !participant.transport().connected())
        return;
    participant.last_congestion_feedback = now;
    std::uint32_t media_ssrc = participant.sending_ssrc_of(MediaKind::Video);
    if (media_ssrc == 0) media_ssrc = participant.sending_ssrc_of(MediaKind::Audio);
    const std::uint32_t our_ssrc = participant.local_ssrc_of(MediaKind::Video);
    std::uint8_t* slot = socket_.prepare_send();
    const std::size_t size = participant.congestion_feedback.write(
        slot, net::UdpSocket::buffer_size - srtp::SrtpSession::max_trailer,
        our_ssrc != 0 ? our_ssrc : 1, media_ssrc);
    if (size != 0) send_rtcp(participant, slot, size);
}

}  // namespace vg::rtc::room
