#include "rtc/room/ParticipantQuality.hpp"

#include <algorithm>

namespace vg::rtc::room {

void ParticipantQuality::resize(const MediaSettings& settings) {
    const std::size_t known = incoming_.size();
    incoming_.resize(settings.sections.size());
    outgoing_.resize(settings.sections.size());
    for (std::size_t i = 0; i < settings.sections.size(); ++i) {
        const auto& section = settings.sections[i];
        const bool video = section.kind == MediaKind::Video;
        if (i >= known) incoming_[i].reception = ReceptionStats(video ? 90000 : 48000);
        if (video && section.receives && !outgoing_[i].buffer)
            outgoing_[i].buffer = std::make_unique<RetransmissionBuffer>();
        if (section.local_ssrc != 0 && std::find(local_ssrcs_.begin(), local_ssrcs_.end(),
                                                 section.local_ssrc) == local_ssrcs_.end())
            local_ssrcs_.push_back(section.local_ssrc);
    }
    lost_downlink_.resize(local_ssrcs_.size());
}

ParticipantQuality::Incoming* ParticipantQuality::incoming(std::size_t section) {
    return section < incoming_.size() ? &incoming_[section] : nullptr;
}

ParticipantQuality::Outgoing* ParticipantQuality::outgoing(std::size_t section) {
    return section < outgoing_.size() ? &outgoing_[section] : nullptr;
}

bool ParticipantQuality::on_received(std::size_t section, std::uint32_t ssrc,
                                     std::uint16_t sequence, std::uint32_t rtp_timestamp,
                                     std::size_t bytes, bool rtx, Clock::time_point now) {
    Incoming* stream = incoming(section);
    if (stream == nullptr) return true;
    if (stream->reception.ssrc() != ssrc) {
        if (rtx) return true;  // repairs a stream we have not seen: nothing to count it in
        stream->reception.reset(ssrc, stream->reception.clock_rate());
        stream->missing.reset();
    }
    // A retransmission may also come before the next packet (the sender's padding repeats its
    // latest packets): then it is the newest we have.
    if (stream->missing.on_packet(sequence, now) == MissingPackets::Arrival::Stale && rtx)
        return false;
    stream->reception.on_packet(sequence, rtp_timestamp, bytes, now, rtx);
    return true;
}

void ParticipantQuality::on_sent(std::size_t section, std::uint16_t sequence,
                                 std::span<const std::uint8_t> packet, std::size_t payload,
                                 Clock::time_point now) {
    Outgoing* stream = outgoing(section);
    if (stream == nullptr) return;
    ++stream->packets;
    stream->octets += static_cast<std::uint32_t>(payload);
    ++packets_sent_;
    bytes_sent_ += packet.size();
    if (stream->buffer) stream->buffer->store(sequence, packet, now);
}

void ParticipantQuality::on_sender_report_sent(std::uint64_t ntp_timestamp, Clock::time_point now) {
    sent_reports_[next_sent_report_] = {static_cast<std::uint32_t>(ntp_timestamp >> 16), now};
    next_sent_report_ = (next_sent_report_ + 1) % sent_reports_.size();
}

void ParticipantQuality::on_report_block(const rtcp::ReportBlock& block, Clock::time_point now) {
    const auto found = std::find(local_ssrcs_.begin(), local_ssrcs_.end(), block.ssrc);
    if (found == local_ssrcs_.end()) return;
    lost_downlink_[static_cast<std::size_t>(found - local_ssrcs_.begin())] = block.cumulative_lost;
    if (block.last_sender_report == 0) return;
    for (const auto& sent : sent_reports_) {
        if (sent.sent == Clock::time_point{} || sent.compact_ntp != block.last_sender_report)
            continue;
        // RFC 3550 6.4.1: the delay it held our SR is not part of the round trip.
        const auto held = std::chrono::microseconds(
            (std::uint64_t{block.delay_since_last_sender_report} * 1'000'000) >> 16);
        const auto sample = now - sent.sent - held;
        if (sample < Clock::duration::zero()) return;
        rtt_ = rtt_ == Clock::duration::zero() ? sample : (rtt_ * 7 + sample) / 8;
        return;
    }
}

bool ParticipantQuality::report_due(Clock::time_point now) {
    const auto elapsed = now - last_report_;
    if (elapsed < report_interval) return false;
    const double seconds = std::chrono::duration<double>(elapsed).count();
    std::uint64_t received = 0;
    for (const auto& stream : incoming_) received += stream.reception.bytes();
    receive_bitrate_ = static_cast<double>(received - bytes_received_at_report_) * 8 / seconds;
    send_bitrate_ = static_cast<double>(bytes_sent_ - bytes_sent_at_report_) * 8 / seconds;
    bytes_received_at_report_ = received;
    bytes_sent_at_report_ = bytes_sent_;
    last_report_ = now;
    return true;
}

QualitySummary ParticipantQuality::summary(Clock::time_point now) const {
    QualitySummary summary;
    summary.seconds = std::chrono::duration<double>(now - added_).count();
    for (const auto& stream : incoming_) {
        summary.packets_received += stream.reception.packets();
        summary.bytes_received += stream.reception.bytes();
        summary.packets_lost += std::max<std::int64_t>(0, stream.reception.lost());
        summary.packets_recovered += stream.reception.recovered();
        summary.nacks_sent += stream.nacks_sent;
        summary.jitter_ms = std::max(summary.jitter_ms, stream.reception.jitter_seconds() * 1000);
    }
    summary.receive_bitrate = receive_bitrate_;
    summary.packets_sent = packets_sent_;
    summary.bytes_sent = bytes_sent_;
    summary.nacks_received = nacks_received;
    summary.retransmissions_sent = retransmissions_sent;
    for (const auto lost : lost_downlink_) summary.packets_lost_downlink += lost;
    summary.rtt_ms = std::chrono::duration<double, std::milli>(rtt_).count();
    summary.send_bitrate = send_bitrate_;
    return summary;
}

}  // namespace vg::rtc::room
