#include "app/NodeHeartbeat.hpp"

#include <sys/resource.h>

#include <exception>

#include "common/Log.hpp"
#include "db/Connection.hpp"
#include "http/Metrics.hpp"

namespace vg::app {
namespace {

std::int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

NodeHeartbeat::NodeHeartbeat(std::string conninfo, desk::NodeIdentity identity, ReadLoad load,
                             http::Metrics& metrics)
    : conninfo_(std::move(conninfo)),
      identity_(std::move(identity)),
      load_(std::move(load)),
      metrics_(metrics) {
    metrics_.add_counter("vg_node_heartbeats_total", "Heartbeats this node wrote",
                         [this] { return beats_.load(); });
    metrics_.add_counter("vg_node_heartbeat_failures_total",
                         "Heartbeats this node could not write (database unreachable)",
                         [this] { return failures_.load(); });
    metrics_.add_gauge("vg_node_heartbeat_age_seconds",
                       "Seconds since this node's last heartbeat reached the database", [this] {
                           auto last = last_success_ns_.load();
                           return last == 0 ? -1.0 : static_cast<double>(steady_ns() - last) / 1e9;
                       });
    metrics_.add_gauge("vg_node_draining", "1 while this node drains (after SIGTERM)",
                       [this] { return draining_.load() ? 1.0 : 0.0; });
    metrics_.add_gauge("vg_node_call_sessions", "Call sessions this node hosts",
                       [this] { return call_sessions_.load(); });
    metrics_.add_gauge("vg_node_participants", "Call participants connected to this node",
                       [this] { return participants_.load(); });
    // A pair, not a structured binding: clang 14 (the style check's clang-tidy) cannot capture
    // one in a lambda.
    for (const auto& by_state :
         {std::pair{"active", &active_}, std::pair{"draining", &draining_nodes_},
          std::pair{"lost", &lost_}}) {
        auto* count = by_state.second;
        metrics_.add_gauge("vg_nodes", "Nodes sharing the database, by state at the last heartbeat",
                           [count] { return count->load(); }, {{"state", by_state.first}});
    }
}

NodeHeartbeat::~NodeHeartbeat() {
    stop();
    for (const char* name : {"vg_node_heartbeats_total", "vg_node_heartbeat_failures_total",
                             "vg_node_heartbeat_age_seconds", "vg_node_draining",
                             "vg_node_call_sessions", "vg_node_participants", "vg_nodes"}) {
        metrics_.remove(name);
    }
}

void NodeHeartbeat::start() {
    beat();
    thread_ = std::thread([this] { run(); });
}

void NodeHeartbeat::drain(std::chrono::milliseconds wait) {
    draining_ = true;
    std::unique_lock lock(mutex_);
    wake_now_ = true;
    wake_.notify_all();
    wake_.wait_for(lock, wait, [this] { return draining_written_.load() || stopping_; });
}

void NodeHeartbeat::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
        wake_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
    try {
        if (connection_ && connection_->ok())
            desk::NodeRegistry::leave(*connection_, identity_.name);
    } catch (const std::exception& e) {
        common::log::get("app")->warn("node {}: could not end its lease: {}", identity_.name,
                                      e.what());
    }
}

void NodeHeartbeat::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, interval_, [this] { return stopping_ || wake_now_; });
        if (stopping_) break;
        wake_now_ = false;
        lock.unlock();
        bool was_draining = draining_.load();
        bool written = beat();
        lock.lock();
        if (written && was_draining) {
            draining_written_ = true;
            wake_.notify_all();
        }
    }
}

bool NodeHeartbeat::beat() {
    auto load = load_();
    call_sessions_ = static_cast<double>(load.call_sessions);
    participants_ = static_cast<double>(load.participants);
    load.cpu_cores = cpu_cores();
    try {
        if (!connection_ || !connection_->ok() || !connection_->alive())
            connection_ = std::make_unique<db::Connection>(conninfo_, 2);
        auto counts =
            desk::NodeRegistry::heartbeat(*connection_, identity_, load, draining_.load(), first_);
        if (first_)
            common::log::get("app")->info("node {} registered ({})", identity_.name,
                                          identity_.signaling_url);
        first_ = false;
        active_ = static_cast<double>(counts.active);
        draining_nodes_ = static_cast<double>(counts.draining);
        lost_ = static_cast<double>(counts.lost);
        if (++beats_since_cleanup_ >= 600) {
            beats_since_cleanup_ = 0;
            desk::NodeRegistry::forget_lost(*connection_, std::chrono::hours(24));
        }
        beats_ = beats_.load() + 1;
        last_success_ns_ = steady_ns();
    } catch (const std::exception& e) {
        failures_ = failures_.load() + 1;
        common::log::get("app")->warn("node {}: heartbeat failed: {}", identity_.name, e.what());
        return false;
    }
    if (node_urls_ && beats_until_list_-- <= 0) tell_node_urls();
    return true;
}

void NodeHeartbeat::tell_node_urls() {
    try {
        std::vector<std::string> urls;
        for (const auto& node : desk::NodeRegistry::list(*connection_))
            urls.push_back(node.public_url);
        node_urls_(urls);
        beats_until_list_ = list_interval - 1;
    } catch (const std::exception& e) {
        // The allow-list keeps the last one; the next beat tries again.
        common::log::get("app")->warn("node {}: could not list the nodes: {}", identity_.name,
                                      e.what());
    }
}

double NodeHeartbeat::cpu_cores() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
    double cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    auto now = std::chrono::steady_clock::now();
    double cores = 0;
    if (last_cpu_seconds_ >= 0) {
        double wall = std::chrono::duration<double>(now - last_cpu_at_).count();
        if (wall > 0) cores = (cpu - last_cpu_seconds_) / wall;
    }
    last_cpu_seconds_ = cpu;
    last_cpu_at_ = now;
    return cores;
}

}  // namespace vg::app
