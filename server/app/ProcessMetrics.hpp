#pragma once
// The process_* series every Prometheus client library exports (CPU seconds, resident memory,
// open and allowed file descriptors, start time), read from /proc/self at scrape time.
#include <string>
#include <vector>

namespace vg::http {
class Metrics;
}

namespace vg::app {

class ProcessMetrics {
  public:
    // metrics must outlive this object; the series are removed again by its destructor.
    explicit ProcessMetrics(http::Metrics& metrics);
    ~ProcessMetrics();
    ProcessMetrics(const ProcessMetrics&) = delete;
    ProcessMetrics& operator=(const ProcessMetrics&) = delete;

  private:
    http::Metrics& metrics_;
    std::vector<std::string> names_;
    double start_time_seconds_ = 0;
};

}  // namespace vg::app
