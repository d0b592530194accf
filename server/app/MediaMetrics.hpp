#pragma once
// The media engine's counters in /metrics: RTP in and out, loss both ways, NACKs and
// retransmissions, round trip, jitter and bitrates, summed over every worker. One scrape asks the
// workers once (MediaEngine::stats()), not once per series.
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "rtc/MediaEngine.hpp"

namespace vg::http {
class Metrics;
}

namespace vg::app {

class MediaMetrics {
  public:
    // Both must outlive this object; the series are removed again by its destructor.
    MediaMetrics(http::Metrics& metrics, const rtc::MediaEngine& engine);
    ~MediaMetrics();
    MediaMetrics(const MediaMetrics&) = delete;
    MediaMetrics& operator=(const MediaMetrics&) = delete;

  private:
    using Stats = rtc::MediaEngine::Stats;
    // The engine's stats, asked again when the last answer is older than a scrape's duration.
    Stats snapshot();

    http::Metrics& metrics_;
    const rtc::MediaEngine& engine_;
    std::vector<std::string> names_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point taken_{};
    Stats last_;
};

}  // namespace vg::app
