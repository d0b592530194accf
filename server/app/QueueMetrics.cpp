#include "app/QueueMetrics.hpp"

#include <charconv>
#include <string>
#include <string_view>

#include "db/Connection.hpp"
#include "http/Metrics.hpp"

namespace vg::app {

QueueMetrics::QueueMetrics(http::Metrics& metrics) : metrics_(metrics) {
    for (std::size_t i = 0; i < kStates.size(); ++i) {
        metrics_.add_gauge("vg_queue_entries", "Citizens in the queues of every site, by state",
                           [this, i] { return counts_[i].load(); }, {{"state", kStates[i]}});
    }
}

QueueMetrics::~QueueMetrics() {
    metrics_.remove("vg_queue_entries");
}

void QueueMetrics::refresh(db::Connection& connection) {
    auto result = connection.exec(
        "SELECT state::text, count(*) FROM queue_entries "
        "WHERE state IN ('waiting', 'offered', 'accepted') GROUP BY state");
    std::array<double, kStates.size()> counts{};
    for (int row = 0; row < result.rows(); ++row) {
        std::string_view state = result.get(row, 0);
        std::string_view text = result.get(row, 1);
        long long count = 0;
        std::from_chars(text.data(), text.data() + text.size(), count);
        for (std::size_t i = 0; i < kStates.size(); ++i) {
            if (state == kStates[i]) counts[i] = static_cast<double>(count);
        }
    }
    for (std::size_t i = 0; i < kStates.size(); ++i) counts_[i] = counts[i];
}

}  // namespace vg::app
