#include "rtc/room/MissingPackets.hpp"

#include <algorithm>

namespace vg::rtc::room {

void MissingPackets::reset() {
    started_ = false;
    count_ = 0;
}

MissingPackets::Arrival MissingPackets::on_packet(std::uint16_t sequence, Clock::time_point now) {
    if (!started_) {
        started_ = true;
        highest_ = sequence;
        return Arrival::Newest;
    }
    const auto ahead = static_cast<std::uint16_t>(sequence - highest_);
    if (ahead == 0) return Arrival::Stale;
    if (ahead < 0x8000) {
        if (ahead > max_gap) {
            // The sender started over: what we waited for will never come.
            abandoned_ += count_;
            count_ = 0;
        } else {
            for (auto missing = static_cast<std::uint16_t>(highest_ + 1); missing != sequence;
                 ++missing)
                add(missing, now);
        }
        highest_ = sequence;
        return Arrival::Newest;
    }
    // Behind the highest: a late or retransmitted packet, perhaps one we asked for.
    for (std::size_t i = 0; i < count_; ++i)
        if (entries_[i].sequence == sequence) {
            erase(i);
            return Arrival::Filled;
        }
    return Arrival::Stale;
}

void MissingPackets::add(std::uint16_t sequence, Clock::time_point now) {
    if (count_ == capacity) {
        erase(0);
        ++abandoned_;
    }
    entries_[count_++] = Entry{sequence, 0, now, Clock::time_point{}};
}

void MissingPackets::erase(std::size_t index) {
    std::copy(entries_.begin() + static_cast<std::ptrdiff_t>(index) + 1,
              entries_.begin() + static_cast<std::ptrdiff_t>(count_),
              entries_.begin() + static_cast<std::ptrdiff_t>(index));
    --count_;
}

std::size_t MissingPackets::due(Clock::time_point now, Clock::duration retry_interval,
                                std::span<std::uint16_t> out) {
    std::size_t written = 0;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < count_; ++i) {
        Entry entry = entries_[i];
        if (entry.attempts >= max_attempts || now - entry.since > max_age) {
            ++abandoned_;
            continue;
        }
        if (written < out.size() &&
            (entry.attempts == 0 || now - entry.last_asked >= retry_interval)) {
            out[written++] = entry.sequence;
            ++entry.attempts;
            entry.last_asked = now;
        }
        entries_[kept++] = entry;
    }
    count_ = kept;
    return written;
}

}  // namespace vg::rtc::room
