#pragma once
// The gaps in one incoming stream, as the server sees them, so it can ask the sender for the
// packets again (generic NACK, RFC 4585) on that leg alone. A gap is asked for at the next due
// time (the caller's tick, which leaves a moment for reordering), then again every retry
// interval (about one round trip), until the packet arrives, max_attempts were made or it is
// older than max_age. Fixed capacity, no allocation: when more is missing than fits, the
// oldest are given up.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

namespace vg::rtc::room {

class MissingPackets {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t capacity = 256;
    static constexpr int max_attempts = 10;
    static constexpr auto max_age = std::chrono::milliseconds(1000);
    // A jump larger than this is a new numbering, not a loss.
    static constexpr std::uint16_t max_gap = 500;

    enum class Arrival {
        Newest,  // ahead of every packet before it (gaps it leaves are now missing)
        Filled,  // was missing
        Stale,   // behind, and not missing: a duplicate, or a gap given up on
    };
    Arrival on_packet(std::uint16_t sequence, Clock::time_point now);
    void reset();

    // Writes the sequence numbers due for a NACK now into out (in send order) and returns how
    // many; each counts as one attempt.
    std::size_t due(Clock::time_point now, Clock::duration retry_interval,
                    std::span<std::uint16_t> out);

    std::size_t size() const { return count_; }
    // Gaps given up on (too old, too many attempts, or pushed out): they stay lost.
    std::uint64_t abandoned() const { return abandoned_; }

  private:
    struct Entry {
        std::uint16_t sequence;
        std::uint8_t attempts;
        Clock::time_point since;
        Clock::time_point last_asked;
    };
    void add(std::uint16_t sequence, Clock::time_point now);
    void erase(std::size_t index);

    bool started_ = false;
    std::uint16_t highest_ = 0;
    // In send order: entries_[0] is the oldest gap.
    std::array<Entry, capacity> entries_{};
    std::size_t count_ = 0;
    std::uint64_t abandoned_ = 0;
};

}  // namespace vg::rtc::room
