#include "rtc/room/DownlinkEstimate.hpp"

#include <algorithm>
#include <cmath>

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::room {
namespace {

std::int64_t microseconds(DownlinkEstimate::Clock::duration duration) {
    return std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
}

}  // namespace

void DownlinkEstimate::on_sent(rtp::RtpPacket& packet, std::uint8_t transport_cc_id,
                               Clock::time_point now) {
    if (transport_cc_id == 0 || !packet.has_extension()) return;
    const auto extension = packet.extension(transport_cc_id);
    if (!extension || extension->size() < 2) return;
    if (!started_) {
        started_ = true;
        epoch_ = now;
        window_start_ = now;
    }
    const std::uint16_t sequence = next_sequence_++;
    rtp::write16(extension->data(), sequence);
    sent_[sequence % history] = {microseconds(now - epoch_), sequence,
                                 static_cast<std::uint16_t>(packet.bytes().size()), true};
}

void DownlinkEstimate::on_feedback(const rtcp::TransportCc& feedback, Clock::time_point now) {
    if (!started_ || !feedback.statuses({statuses_.data(), statuses_.size()})) return;
    // The reference time counts 64 ms in 24 bits, and wraps.
    const auto reference = static_cast<std::uint32_t>(feedback.reference_time()) & 0xffffff;
    if (have_reference_) {
        // The 24-bit difference, sign-extended.
        const auto step = static_cast<std::int32_t>((reference - last_reference_) << 8) >> 8;
        reference_unwrapped_ += step;
    } else {
        reference_unwrapped_ = reference;
        have_reference_ = true;
    }
    last_reference_ = reference;
    const std::int64_t base_us = reference_unwrapped_ * rtcp::TransportCc::kReferenceUnitUs;

    for (std::size_t i = 0; i < feedback.status_count(); ++i) {
        const auto& status = statuses_[i];
        Sent& sent = sent_[status.sequence % history];
        if (!sent.waiting || sent.sequence != status.sequence) continue;
        sent.waiting = false;
        ++window_packets_;
        window_sent_bytes_ += sent.size;
        if (!status.received) {
            ++window_lost_;
            continue;
        }
        window_arrived_bytes_ += sent.size;
        on_delay(base_us + status.arrival_us - sent.sent_us, now);
    }
    // Heavy loss needs fewer packets to be told from chance.
    const bool heavy =
        window_packets_ >= loss_window_packets / 5 && window_lost_ * 4 > window_packets_;
    if (now - window_start_ >= loss_window && (window_packets_ >= loss_window_packets || heavy))
        close_loss_window(now);

    const auto queue = std::chrono::microseconds(queue_delay_us_);
    if (queue > congested_delay) {
        // Again only if the queue kept growing since the last cut: one that stays put (a longer
        // path, until the base window forgets the shorter one) would cut and cut for nothing.
        const std::uint64_t arrived = arrived_bitrate(now);
        const auto margin = std::chrono::microseconds(congested_delay).count() / 2;
        if (now - last_decrease_ >= decrease_interval && arrived != 0 &&
            queue_delay_us_ > queue_at_cut_us_ + margin) {
            lower_to(static_cast<double>(arrived) * decrease_factor, now);
            queue_at_cut_us_ = queue_delay_us_;
        }
    } else if (queue < clear_delay) {
        queue_at_cut_us_ = 0;  // drained: the next rise is new congestion
    }
    if (known_ && queue < clear_delay && loss_ < 0.02) {
        // Slow at first, near the rate that was too much; faster the longer that is past.
        const double seconds = std::chrono::duration<double>(now - last_growth_).count();
        const double calm = std::chrono::duration<double>(now - last_trouble_) / growth_doubling;
        const double growth = growth_per_second * std::exp2(std::min(calm, 2.0));
        const double grown = static_cast<double>(estimate_) * (1 + growth * std::min(seconds, 1.0));
        // No cap at a multiple of what arrives, as GCC has: the browser's own estimate has one.
        estimate_ = std::min(max_bitrate, static_cast<std::uint64_t>(grown));
    }
    last_growth_ = now;
}

void DownlinkEstimate::on_delay(std::int64_t one_way_us, Clock::time_point now) {
    // The lowest delay of the last base_window, kept as two halves, is the path without queue.
    if (!have_delay_) {
        have_delay_ = true;
        lowest_delay_us_ = previous_lowest_us_ = one_way_us;
        lowest_since_ = now;
    } else if (now - lowest_since_ >= base_window / 2) {
        previous_lowest_us_ = lowest_delay_us_;
        lowest_delay_us_ = one_way_us;
        lowest_since_ = now;
    } else {
        lowest_delay_us_ = std::min(lowest_delay_us_, one_way_us);
    }
    const std::int64_t queue = one_way_us - std::min(lowest_delay_us_, previous_lowest_us_);
    queue_delay_us_ = (queue_delay_us_ * 9 + queue) / 10;
}

std::uint64_t DownlinkEstimate::arrived_bitrate(Clock::time_point now) const {
    // The window under way once it is long enough to say: it is the more recent.
    const double seconds = std::chrono::duration<double>(now - window_start_).count();
    if (seconds < 0.1 || (seconds < 0.5 && arrived_bitrate_ != 0)) return arrived_bitrate_;
    return static_cast<std::uint64_t>(static_cast<double>(window_arrived_bytes_) * 8 / seconds);
}

void DownlinkEstimate::close_loss_window(Clock::time_point now) {
    const double seconds = std::chrono::duration<double>(now - window_start_).count();
    const double sent_bitrate = static_cast<double>(window_sent_bytes_) * 8 / seconds;
    arrived_bitrate_ =
        static_cast<std::uint64_t>(static_cast<double>(window_arrived_bytes_) * 8 / seconds);
    loss_ = static_cast<double>(window_lost_) / static_cast<double>(window_packets_);
    window_start_ = now;
    window_sent_bytes_ = window_arrived_bytes_ = 0;
    window_packets_ = window_lost_ = 0;
    if (loss_ > 0.10)
        lower_to(sent_bitrate * (1 - loss_ / 2), now);
    else if (loss_ >= 0.02)
        last_trouble_ = now;
}

void DownlinkEstimate::lower_to(double bitrate, Clock::time_point now) {
    const auto lowered = std::clamp(static_cast<std::uint64_t>(bitrate), min_bitrate, max_bitrate);
    estimate_ = std::min(estimate_, lowered);
    known_ = true;
    last_decrease_ = last_trouble_ = now;
}

void DownlinkEstimate::on_remb(std::uint64_t bitrate) {
    known_ = true;
    remb_ = std::clamp(bitrate, min_bitrate, max_bitrate);
}

}  // namespace vg::rtc::room
