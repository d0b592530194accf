#include "common/TokenBucket.hpp"

#include <algorithm>

namespace vg::common {

bool TokenBucket::take(Clock::time_point now) {
    // A clock read earlier on another path may be older than the last one: no refill then.
    if (now > at_) {
        const std::chrono::duration<double> elapsed = now - at_;
        tokens_ = std::min(burst_, tokens_ + elapsed.count() * per_second_);
        at_ = now;
    }
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
}

}  // namespace vg::common
