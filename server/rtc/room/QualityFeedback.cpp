#include "rtc/room/QualityFeedback.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "rtc/rtcp/Writer.hpp"
#include "rtc/rtp/ByteOrder.hpp"
#include "rtc/srtp/SrtpSession.hpp"

namespace vg::rtc::room {
namespace {

constexpr std::string_view cname = "visioguichet";

}  // namespace

std::size_t QualityFeedback::answer_nack(Participant& receiver, const rtcp::Nack& nack,
                                         Clock::time_point now, std::span<std::uint16_t> missing) {
    const auto& sections = receiver.settings().sections;
    RetransmissionBuffer* buffer = nullptr;
    std::size_t section = sections.size();
    for (std::size_t i = 0; i < sections.size(); ++i)
        if (sections[i].local_ssrc == nack.media_ssrc())
            if (const auto* outgoing = receiver.quality().outgoing(i)) {
                buffer = outgoing->buffer.get();
                section = i;
            }
    const auto again = std::max<Clock::duration>(min_resend_interval, receiver.quality().rtt());
    std::size_t count = 0;
    nack.for_each_lost([&](std::uint16_t sequence) {
        ++receiver.quality().nacks_received;
        const auto packet =
            buffer != nullptr ? buffer->find(sequence, now) : std::span<const std::uint8_t>{};
        if (packet.empty() || !receiver.transport().connected()) {
            if (count < missing.size()) missing[count++] = sequence;
            return;
        }
        if (buffer->resend_due(sequence, now, again)) send_rtx(receiver, section, packet, now);
    });
    return count;
}

void QualityFeedback::send_rtx(Participant& receiver, std::size_t section,
                               std::span<const std::uint8_t> original, Clock::time_point now) {
    // Without RTX the only resend would be the same SSRC and sequence number protected again
    // with other bytes (a new transport-wide number): SRTP nonce reuse. Such a receiver gets
    // nothing from us; its jitter buffer asks for a keyframe instead.
    const std::uint32_t rtx_ssrc = receiver.settings().sections[section].local_rtx_ssrc;
    if (rtx_ssrc == 0 || original.size() < 12 ||
        original.size() + 2 + srtp::SrtpSession::max_trailer > net::UdpSocket::buffer_size)
        return;
    const int rtx_type = receiver.rtx_payload_type(section, original[1] & 0x7f);
    if (rtx_type < 0) return;
    // RFC 4588 section 4: the original header, then the original sequence number, then the
    // original payload; our RTX SSRC, payload type and numbering.
    std::uint8_t* slot = socket_.prepare_send();
    std::memcpy(slot, original.data(), original.size());
    auto header = rtp::RtpPacket::parse({slot, original.size()});
    if (!header) return;
    const std::size_t header_size = header->header_size();
    std::memcpy(slot + header_size + 2, original.data() + header_size,
                original.size() - header_size);
    rtp::write16(slot + header_size, header->sequence_number());
    std::size_t size = original.size() + 2;
    auto rtx = rtp::RtpPacket::parse({slot, size});
    if (!rtx) return;
    auto& stream = receiver.outgoing(section);
    rtx->set_ssrc(rtx_ssrc);
    rtx->set_payload_type(static_cast<std::uint8_t>(rtx_type));
    rtx->set_sequence_number(stream.rtx_sequence++);
    // A new transport-wide number: the receiver's feedback reports the RTX packet as any other.
    receiver.downlink.on_sent(*rtx, receiver.transport_cc_id(), now);
    if (receiver.transport().protect_rtp(slot, size, net::UdpSocket::buffer_size)) {
        socket_.commit_send(size, *receiver.transport().remote_address());
        ++receiver.quality().retransmissions_sent;
    }
}

void QualityFeedback::on_sender_report(Participant& from, const rtcp::SenderReport& report,
                                       Clock::time_point now) {
    const auto info = report.info();
    for (std::size_t i = 0; i < from.settings().sections.size(); ++i)
        if (auto* incoming = from.quality().incoming(i);
            incoming != nullptr && incoming->reception.ssrc() == info.ssrc)
            incoming->reception.on_sender_report(info.ntp_timestamp, now);
    for (std::size_t i = 0; i < report.report_count(); ++i)
        from.quality().on_report_block(report.report(i), now);
}

void QualityFeedback::on_receiver_report(Participant& from, const rtcp::ReceiverReport& report,
                                         Clock::time_point now) {
    for (std::size_t i = 0; i < report.report_count(); ++i)
        from.quality().on_report_block(report.report(i), now);
}

void QualityFeedback::on_tick(Participant& participant, Clock::time_point now) {
    send_nacks(participant, now);
    if (participant.quality().report_due(now)) send_receiver_report(participant, now);
}

void QualityFeedback::send_nacks(Participant& sender, Clock::time_point now) {
    const auto retry = std::max<Clock::duration>(min_nack_retry, sender.quality().rtt() * 3 / 2);
    for (std::size_t i = 0; i < sender.settings().sections.size(); ++i) {
        // Browsers offer NACK for video only; a lost audio packet is concealed instead.
        if (sender.settings().sections[i].kind != MediaKind::Video) continue;
        auto* incoming = sender.quality().incoming(i);
        if (incoming == nullptr || incoming->missing.size() == 0) continue;
        std::array<std::uint16_t, rtcp::Writer::kMaxNackItems> due{};
        const std::size_t count = incoming->missing.due(now, retry, due);
        if (count == 0) continue;
        incoming->nacks_sent += count;
        const std::uint32_t our_ssrc = sender.local_ssrc_of(sender.settings().sections[i].kind);
        rtcp::Writer writer(
            {socket_.prepare_send(), net::UdpSocket::buffer_size - srtp::SrtpSession::max_trailer});
        if (writer.add_nack(our_ssrc != 0 ? our_ssrc : 1, incoming->reception.ssrc(),
                            {due.data(), count}))
            send_rtcp(sender, writer.bytes().data(), writer.size());
    }
}

void QualityFeedback::send_receiver_report(Participant& sender, Clock::time_point now) {
    std::array<rtcp::ReportBlock, 8> blocks{};
    std::size_t count = 0;
    for (std::size_t i = 0; i < sender.settings().sections.size() && count < blocks.size(); ++i)
        if (auto* incoming = sender.quality().incoming(i);
            incoming != nullptr && incoming->reception.received_any())
            blocks[count++] = incoming->reception.report(now);
    if (count == 0) return;
    std::uint32_t our_ssrc = sender.local_ssrc_of(MediaKind::Video);
    if (our_ssrc == 0) our_ssrc = sender.local_ssrc_of(MediaKind::Audio);
    if (our_ssrc == 0) our_ssrc = 1;
    rtcp::Writer writer(
        {socket_.prepare_send(), net::UdpSocket::buffer_size - srtp::SrtpSession::max_trailer});
    // RFC 3550 6.1: a compound packet starts with a report and carries a CNAME. Browsers take
    // lip sync from the SDP's streams, not from this name.
    if (writer.add_receiver_report(our_ssrc, {blocks.data(), count}) &&
        writer.add_sdes_cname(our_ssrc, cname))
        send_rtcp(sender, writer.bytes().data(), writer.size());
}

void QualityFeedback::send_rtcp(Participant& to, std::uint8_t* slot, std::size_t size) {
    if (to.transport().protect_rtcp(slot, size, net::UdpSocket::buffer_size))
        socket_.commit_send(size, *to.transport().remote_address());
}

}  // namespace vg::rtc::room
