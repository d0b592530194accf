#pragma once
// Queue lengths in /metrics: the live queue entries of every site by state. Counted in the
// database by the /metrics handler on a pool thread (never by the scrape's own thread), then read
// by the registry's gauges.
#include <array>
#include <atomic>

namespace vg::db {
class Connection;
}
namespace vg::http {
class Metrics;
}

namespace vg::app {

class QueueMetrics {
  public:
    // metrics must outlive this object; the series are removed again by its destructor.
    explicit QueueMetrics(http::Metrics& metrics);
    ~QueueMetrics();
    QueueMetrics(const QueueMetrics&) = delete;
    QueueMetrics& operator=(const QueueMetrics&) = delete;

    // Counts the entries again (one small aggregate over the live entries' index).
    void refresh(db::Connection& connection);

  private:
    static constexpr std::array<const char*, 3> kStates = {"waiting", "offered", "accepted"};
    http::Metrics& metrics_;
    std::array<std::atomic<double>, kStates.size()> counts_{};
};

}  // namespace vg::app
