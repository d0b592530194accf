#pragma once
// This node's row in the nodes table (desk/NodeRegistry), written every second by a thread of its
// own on a database connection of its own: a busy pool or a slow statement never delays the
// heartbeat into a false "lost", and no loop that serves others waits on it. Exports vg_node_*.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "desk/NodeRegistry.hpp"

namespace vg::db {
class Connection;
}
namespace vg::http {
class Metrics;
}

namespace vg::app {

class NodeHeartbeat {
  public:
    using ReadLoad = std::function<desk::NodeLoad()>;  // called on the heartbeat's thread
    // Every node's public_url, on the heartbeat's thread (the WebSocket Origin allow-list).
    using NodeUrls = std::function<void(const std::vector<std::string>& public_urls)>;

    NodeHeartbeat(std::string conninfo, desk::NodeIdentity identity, ReadLoad load,
                  http::Metrics& metrics);
    ~NodeHeartbeat();  // stop()
    NodeHeartbeat(const NodeHeartbeat&) = delete;
    NodeHeartbeat& operator=(const NodeHeartbeat&) = delete;

    // Before start(): hears the nodes' public_url at the first heartbeat and every
    // list_interval beats after.
    void on_node_urls(NodeUrls listener) { node_urls_ = std::move(listener); }
    static constexpr int list_interval = 5;
    // Writes the first heartbeat before returning (the node is placeable once serve is up), then
    // heartbeats every interval. A first write that fails is retried by the thread.
    void start();
    // Turns the node draining: no call session is placed on it any more. Waits (at most
    // `wait`) until the database has it, so that the calls told to move do not come back.
    void drain(std::chrono::milliseconds wait);
    bool draining() const { return draining_.load(); }
    // Stops the thread and ends the lease (a clean stop is not waited for node_lost_seconds).
    void stop();

  private:
    void run();
    bool beat();
    void tell_node_urls();
    double cpu_cores();

    const std::string conninfo_;
    const desk::NodeIdentity identity_;
    ReadLoad load_;
    NodeUrls node_urls_;
    http::Metrics& metrics_;
    std::chrono::milliseconds interval_{1000};

    std::unique_ptr<db::Connection> connection_;  // used by one thread at a time
    bool first_ = true;
    int beats_since_cleanup_ = 0;
    int beats_until_list_ = 0;
    double last_cpu_seconds_ = -1;
    std::chrono::steady_clock::time_point last_cpu_at_;

    std::atomic<bool> draining_{false};
    std::atomic<bool> draining_written_{false};
    std::atomic<double> beats_{0}, failures_{0}, call_sessions_{0}, participants_{0};
    std::atomic<double> active_{0}, draining_nodes_{0}, lost_{0};
    std::atomic<std::int64_t> last_success_ns_{0};  // steady clock

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool wake_now_ = false;
    std::thread thread_;
};

}  // namespace vg::app
