#include "rtc/room/ReceptionStats.hpp"

#include <algorithm>
#include <cstdlib>

namespace vg::rtc::room {

void ReceptionStats::reset(std::uint32_t ssrc, std::uint32_t clock_rate) {
    *this = ReceptionStats(clock_rate);
    ssrc_ = ssrc;
}

void ReceptionStats::on_packet(std::uint16_t sequence, std::uint32_t rtp_timestamp,
                               std::size_t bytes, Clock::time_point arrival, bool recovered) {
    if (received_ == 0) {
        max_sequence_ = sequence;
        base_sequence_ = sequence;
    }
    const auto delta = static_cast<std::uint16_t>(sequence - max_sequence_);
    bool in_order = received_ == 0;
    if (received_ > 0 && delta != 0 && delta < max_dropout) {
        if (sequence < max_sequence_) cycles_ += 1u << 16;
        max_sequence_ = sequence;
        in_order = true;
    } else if (received_ > 0 && delta != 0 && delta <= 0xffff - max_misorder) {
        // A jump too far either way: the sender started over (RFC 3550 A.1 treats it the same
        // after one confirming packet; a browser only does this on a new SSRC, so at once).
        const std::uint32_t ssrc = ssrc_;
        reset(ssrc, clock_rate_);
        max_sequence_ = sequence;
        base_sequence_ = sequence;
        in_order = true;
    }
    ++received_;
    bytes_ += bytes;
    if (recovered) {
        ++recovered_;
        return;
    }
    if (!in_order) return;  // a late packet's transit time is not the stream's

    // Arrival in RTP clock units (A.8); only differences matter, so any epoch will do.
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(arrival.time_since_epoch()).count();
    const std::int64_t arrival_units = micros * clock_rate_ / 1'000'000;
    const std::int64_t transit = arrival_units - static_cast<std::int64_t>(rtp_timestamp);
    if (has_transit_) {
        std::int64_t d = transit - transit_;
        // The RTP timestamp wraps at 2^32: the transit difference is taken modulo it.
        d = static_cast<std::int32_t>(static_cast<std::uint32_t>(d));
        const auto magnitude = static_cast<std::uint32_t>(std::min<std::int64_t>(
            std::llabs(d), std::int64_t{clock_rate_} * 10));  // one spike cannot blow it up
        jitter_ = jitter_ + magnitude - ((jitter_ + 8) >> 4);
    }
    transit_ = transit;
    has_transit_ = true;
}

void ReceptionStats::on_sender_report(std::uint64_t ntp_timestamp, Clock::time_point arrival) {
    last_sender_report_ = static_cast<std::uint32_t>(ntp_timestamp >> 16);
    last_sender_report_arrival_ = arrival;
}

std::int64_t ReceptionStats::expected() const {
    if (received_ == 0) return 0;
    return static_cast<std::int64_t>(extended_highest()) - base_sequence_ + 1;
}

std::int64_t ReceptionStats::lost() const {
    return expected() - static_cast<std::int64_t>(received_);
}

double ReceptionStats::jitter_seconds() const {
    return clock_rate_ == 0 ? 0.0 : static_cast<double>(jitter()) / clock_rate_;
}

rtcp::ReportBlock ReceptionStats::report(Clock::time_point now) {
    rtcp::ReportBlock block;
    block.ssrc = ssrc_;
    const std::int64_t expected_interval = expected() - expected_prior_;
    const std::int64_t received_interval =
        static_cast<std::int64_t>(received_) - static_cast<std::int64_t>(received_prior_);
    expected_prior_ = expected();
    received_prior_ = received_;
    const std::int64_t lost_interval = expected_interval - received_interval;
    if (expected_interval > 0 && lost_interval > 0)
        block.fraction_lost = static_cast<std::uint8_t>(
            std::min<std::int64_t>(255, (lost_interval << 8) / expected_interval));
    block.cumulative_lost =
        static_cast<std::int32_t>(std::clamp<std::int64_t>(lost(), -0x800000, 0x7fffff));
    block.highest_sequence = extended_highest();
    block.jitter = jitter();
    if (last_sender_report_arrival_ != Clock::time_point{}) {
        block.last_sender_report = last_sender_report_;
        // In units of 1/65536 s.
        const auto delay =
            std::chrono::duration_cast<std::chrono::microseconds>(now - last_sender_report_arrival_)
                .count();
        block.delay_since_last_sender_report =
            static_cast<std::uint32_t>((delay << 16) / 1'000'000);
    }
    return block;
}

}  // namespace vg::rtc::room
