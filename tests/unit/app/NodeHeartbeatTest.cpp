// The heartbeat tells the WebSocket Origin allow-list every node's public_url, from the nodes
// table of a real PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "app/NodeHeartbeat.hpp"
#include "http/Metrics.hpp"
#include "support/TestDatabase.hpp"

namespace vg::app {
namespace {

desk::NodeIdentity node(const std::string& name, const std::string& public_url) {
    return {name, public_url, public_url + "rtc/v1", "127.0.0.1", "test", std::chrono::seconds(6)};
}

desk::NodeLoad no_load() {
    return {};
}

TEST(NodeHeartbeatTest, HearsEveryNodesPublicUrl) {
    test::TestDatabase database;
    http::Metrics other_metrics;
    NodeHeartbeat other(database.url(), node("node-b", "https://node-b.example.org/"), no_load,
                        other_metrics);
    other.start();

    std::mutex mutex;
    std::condition_variable heard;
    std::vector<std::string> urls;
    http::Metrics metrics;
    NodeHeartbeat self(database.url(), node("node-a", "https://node-a.example.org/"), no_load,
                       metrics);
    self.on_node_urls([&](const std::vector<std::string>& listed) {
        std::lock_guard lock(mutex);
        urls = listed;
        heard.notify_all();
    });
    self.start();
    std::unique_lock lock(mutex);
    ASSERT_TRUE(heard.wait_for(lock, std::chrono::seconds(3), [&] { return urls.size() == 2; }));
    std::sort(urls.begin(), urls.end());
    EXPECT_EQ(urls, (std::vector<std::string>{"https://node-a.example.org/",
                                              "https://node-b.example.org/"}));
    lock.unlock();
    self.stop();
    other.stop();
}

}  // namespace
}  // namespace vg::app
