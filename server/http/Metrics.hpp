#pragma once
// A small Prometheus registry: the HTTP request counter and latency histogram, plus gauges and
// counters that other modules expose through callbacks read at scrape time. Thread-safe.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace vg::http {

class Metrics {
  public:
    using Labels = std::vector<std::pair<std::string, std::string>>;
    using Reader = std::function<double()>;

    Metrics() = default;
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    // route is the matched pattern ("/api/v1/sites/{id}") or a fixed word ("static",
    // "unmatched"), never a raw path, so the number of series stays bounded.
    void observe_request(std::string_view method, std::string_view route, int status,
                         double seconds);

    // read is called at every render(), from the scraping thread: it must be cheap and
    // thread-safe, and outlive this registry or be removed first. Several series may share a
    // name with different labels.
    void add_gauge(std::string name, std::string help, Reader read, Labels labels = {});
    void add_counter(std::string name, std::string help, Reader read, Labels labels = {});
    void remove(const std::string& name);
    void set_build_info(std::string version, std::string revision);

    // Text exposition format 0.0.4.
    std::string render() const;
    static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

  private:
    static constexpr std::array<double, 11> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                        0.5,   1,    2.5,   5,    10};
    struct RequestSeries {
        std::uint64_t count = 0;
        double sum = 0;
        std::array<std::uint64_t, kBuckets.size()> buckets{};  // not cumulative
    };
    struct Series {
        Labels labels;
        Reader read;
    };
    struct Family {
        std::string type;  // "gauge" or "counter"
        std::string help;
        std::vector<Series> series;
    };
    void add(std::string name, std::string type, std::string help, Reader read, Labels labels);

    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, RequestSeries> requests_;
    std::map<std::string, Family> families_;
    Labels build_info_{{"version", "unknown"}, {"revision", "unknown"}};
};

}  // namespace vg::http
