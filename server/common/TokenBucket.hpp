#pragma once
// A message-rate limit: a bucket of `burst` tokens refilled at `per_second`; each message takes
// one. A short burst passes, a sustained flood is held to the rate. The caller gives the time
// (its loop's clock), so a media worker reads the clock once per wake-up and tests need no
// sleep. Not thread-safe: one per connection or participant, used on its own thread.
#include <chrono>

namespace vg::common {

class TokenBucket {
  public:
    using Clock = std::chrono::steady_clock;

    // Starts full.
    TokenBucket(double per_second, double burst, Clock::time_point now)
        : per_second_(per_second), burst_(burst), tokens_(burst), at_(now) {}

    // Takes a token; false when none is left (the message is over the rate).
    bool take(Clock::time_point now);

  private:
    double per_second_;
    double burst_;
    double tokens_;
    Clock::time_point at_;
};

}  // namespace vg::common
