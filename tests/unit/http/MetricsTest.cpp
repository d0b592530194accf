#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "http/Metrics.hpp"

namespace vg::http {
namespace {

// Every line is a comment (# HELP / # TYPE) or "name{labels} value" as in format 0.0.4.
void expect_valid_exposition(const std::string& text) {
    static const std::regex sample(
        R"re(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$)re");
    static const std::regex comment(R"re(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$)re");
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        EXPECT_TRUE(std::regex_match(line, sample) || std::regex_match(line, comment)) << line;
    }
}

TEST(MetricsTest, CountsRequestsByMethodRouteAndStatus) {
    Metrics metrics;
    metrics.observe_request("GET", "/api/v1/sites/{id}", 200, 0.003);
    metrics.observe_request("GET", "/api/v1/sites/{id}", 200, 0.2);
    metrics.observe_request("POST", "/api/v1/appointments", 409, 0.02);
    metrics.observe_request("BREW", "unmatched", 404, 0.001);
    auto text = metrics.render();
    expect_valid_exposition(text);
    EXPECT_NE(text.find("vg_http_requests_total{method=\"GET\",route=\"/api/v1/sites/{id}\","
                        "status=\"200\"} 2\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("vg_http_requests_total{method=\"POST\",route=\"/api/v1/appointments\","
                        "status=\"409\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("method=\"OTHER\""), std::string::npos);
    // Buckets are cumulative: 0.003 s is under 5 ms, 0.2 s under 250 ms.
    EXPECT_NE(text.find("vg_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/"
                        "sites/{id}\",status=\"200\",le=\"0.005\"} 1\n"),
              std::string::npos)
        << text;
    // Bounds print as written, as Prometheus clients write them.
    EXPECT_NE(text.find(",le=\"0.1\"}"), std::string::npos) << text;
    EXPECT_NE(text.find(",le=\"2.5\"}"), std::string::npos) << text;
    EXPECT_NE(text.find(",le=\"10\"}"), std::string::npos) << text;
    EXPECT_EQ(text.find("00000000"), std::string::npos) << text;
    EXPECT_NE(text.find("vg_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/"
                        "sites/{id}\",status=\"200\",le=\"+Inf\"} 2\n"),
              std::string::npos);
    EXPECT_NE(text.find("# TYPE vg_http_request_duration_seconds histogram"), std::string::npos);
}

TEST(MetricsTest, GaugesAreReadAtRenderAndLabelsEscaped) {
    Metrics metrics;
    int open = 3;
    metrics.add_gauge("vg_db_pool_open", "Open database connections.", [&] { return open; });
    metrics.add_gauge("vg_queue_length", "Queue entries waiting.", [] { return 2.5; },
                      {{"site", "Gare \"Nord\"\\1"}});
    metrics.add_counter("vg_rtp_dropped_total", "Dropped packets.",
                        []() -> double { throw std::runtime_error("broken reader"); });
    metrics.set_build_info("0.1.0", "abc123");
    open = 4;
    auto text = metrics.render();
    expect_valid_exposition(text);
    EXPECT_NE(text.find("vg_db_pool_open 4\n"), std::string::npos) << text;
    EXPECT_NE(text.find("vg_queue_length{site=\"Gare \\\"Nord\\\"\\\\1\"} 2.5\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("vg_rtp_dropped_total NaN\n"), std::string::npos);
    EXPECT_NE(text.find("vg_build_info{version=\"0.1.0\",revision=\"abc123\"} 1\n"),
              std::string::npos);
    EXPECT_THROW(metrics.add_counter("vg_db_pool_open", "x", [] { return 1.0; }),
                 std::invalid_argument);
    EXPECT_THROW(metrics.add_gauge("bad name", "x", [] { return 1.0; }), std::invalid_argument);
    metrics.remove("vg_db_pool_open");
    EXPECT_EQ(metrics.render().find("vg_db_pool_open"), std::string::npos);
}

}  // namespace
}  // namespace vg::http
