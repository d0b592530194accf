#include "rtc/transport/TransportCcFeedback.hpp"

#include <algorithm>

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::transport {
namespace {

constexpr std::int64_t delta_unit_us = 250;
constexpr std::int64_t reference_unit_us = 64000;
constexpr std::size_t header_size = 20;
constexpr std::size_t symbols_per_chunk = 7;  // two-bit status vector chunks only
constexpr std::uint8_t not_received = 0;
constexpr std::uint8_t small_delta = 1;
constexpr std::uint8_t large_delta = 2;

}  // namespace

void TransportCcFeedback::on_packet(std::uint16_t wide_sequence, Clock::time_point arrival) {
    if (!started_) {
        started_ = true;
        epoch_ = arrival;
        next_ = wide_sequence;
        highest_ = wide_sequence - 1;
    }
    const auto base = static_cast<std::uint16_t>(highest_);
    const std::int64_t sequence =
        highest_ + static_cast<std::int16_t>(static_cast<std::uint16_t>(wide_sequence - base));
    if (sequence < next_) return;  // already reported (or far too late)
    const auto size = static_cast<std::int64_t>(window);
    if (sequence - next_ >= size) {
        // Beyond the window: the oldest unreported packets are given up.
        const std::int64_t new_next = sequence - size + 1;
        for (std::int64_t s = next_; s < new_next && s < next_ + size; ++s) slot(s) = missing;
        next_ = new_next;
        highest_ = std::max(highest_, next_ - 1);
    }
    slot(sequence) =
        std::chrono::duration_cast<std::chrono::microseconds>(arrival - epoch_).count();
    highest_ = std::max(highest_, sequence);
}

std::size_t TransportCcFeedback::write(std::uint8_t* out, std::size_t capacity,
                                       std::uint32_t sender_ssrc, std::uint32_t media_ssrc) {
    if (!has_pending()) return 0;
    // The first received packet of the range sets the reference time.
    std::int64_t first_arrival = missing;
    for (std::int64_t s = next_; s <= highest_ && first_arrival == missing; ++s)
        first_arrival = slot(s);
    if (first_arrival == missing) return 0;
    const std::int64_t reference = first_arrival / reference_unit_us;

    // Decide how many packets fit: chunks (2 bytes per 7) plus deltas (1 or 2 bytes each).
    std::size_t count = 0;
    std::size_t delta_bytes = 0;
    std::int64_t previous = reference * reference_unit_us;
    const auto total = static_cast<std::size_t>(highest_ - next_ + 1);
    while (count < total) {
        const std::int64_t arrival = slot(next_ + static_cast<std::int64_t>(count));
        std::size_t extra = 0;
        std::int64_t candidate_previous = previous;
        if (arrival != missing) {
            const std::int64_t delta = (arrival - previous) / delta_unit_us;
            if (delta < -32768 || delta > 32767) break;  // next feedback, new reference
            extra = delta >= 0 && delta <= 255 ? 1 : 2;
            candidate_previous = previous + delta * delta_unit_us;
        }
        const std::size_t chunks = (count + 1 + symbols_per_chunk - 1) / symbols_per_chunk;
        const std::size_t size = header_size + 2 * chunks + delta_bytes + extra;
        if ((size + 3) / 4 * 4 > capacity || count + 1 > 0xffff) break;
        delta_bytes += extra;
        previous = candidate_previous;
        ++count;
    }
    if (count == 0) return 0;

    const std::size_t chunks = (count + symbols_per_chunk - 1) / symbols_per_chunk;
    std::size_t size = header_size + 2 * chunks + delta_bytes;
    const std::size_t padded = (size + 3) / 4 * 4;
    std::fill(out, out + padded, 0);
    out[0] = 0x80 | 15;
    out[1] = 205;
    rtp::write16(out + 2, static_cast<std::uint16_t>(padded / 4 - 1));
    rtp::write32(out + 4, sender_ssrc);
    rtp::write32(out + 8, media_ssrc);
    rtp::write16(out + 12, static_cast<std::uint16_t>(next_));
    rtp::write16(out + 14, static_cast<std::uint16_t>(count));
    rtp::write24(out + 16, static_cast<std::uint32_t>(reference) & 0xffffff);
    out[19] = feedback_count_++;

    std::uint8_t* chunk = out + header_size;
    std::uint8_t* delta_out = chunk + 2 * chunks;
    previous = reference * reference_unit_us;
    for (std::size_t i = 0; i < count; ++i) {
        const std::int64_t sequence = next_ + static_cast<std::int64_t>(i);
        const std::int64_t arrival = slot(sequence);
        std::uint8_t symbol = not_received;
        if (arrival != missing) {
            const std::int64_t delta = (arrival - previous) / delta_unit_us;
            previous += delta * delta_unit_us;
            if (delta >= 0 && delta <= 255) {
                symbol = small_delta;
                *delta_out++ = static_cast<std::uint8_t>(delta);
            } else {
                symbol = large_delta;
                rtp::write16(delta_out,
                             static_cast<std::uint16_t>(static_cast<std::int16_t>(delta)));
                delta_out += 2;
            }
        }
        slot(sequence) = missing;
        // Status vector chunk: T=1, S=1 (two-bit symbols), seven symbols, first in the top bits.
        const std::size_t index = i / symbols_per_chunk;
        const std::size_t position = i % symbols_per_chunk;
        std::uint16_t value = rtp::read16(chunk + 2 * index);
        if (position == 0) value = 0xc000;
        value = static_cast<std::uint16_t>(value | (symbol << (12 - 2 * position)));
        rtp::write16(chunk + 2 * index, value);
    }
    next_ += static_cast<std::int64_t>(count);
    if (padded != size) {
        out[0] |= 0x20;  // RTCP padding: its last byte counts the padding bytes
        out[padded - 1] = static_cast<std::uint8_t>(padded - size);
    }
    return padded;
}

}  // namespace vg::rtc::transport
