#pragma once
// A dedicated connection that LISTENs on channels and hands each NOTIFY to a callback on its own
// thread. After the database comes back from a restart it reconnects, LISTENs again and calls
// on_reconnect: notifications sent meanwhile are lost, so listeners resync from the tables.
#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace vg::db {

struct NotifierOptions {
    std::string conninfo;               // libpq URI
    std::vector<std::string> channels;  // LISTENed to, each as one identifier
    int connect_timeout_seconds = 3;
    int max_retry_delay_ms = 2000;  // between reconnect attempts, doubling from 100 ms
};

class Notifier {
  public:
    using OnNotify = std::function<void(const std::string& channel, const std::string& payload)>;
    using OnReconnect = std::function<void()>;

    // Starts the thread, which connects in the background. Callbacks run on that thread; an
    // exception they throw is logged and dropped.
    Notifier(NotifierOptions options, OnNotify on_notify, OnReconnect on_reconnect = {});
    ~Notifier();  // stop()
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    bool listening() const { return listening_; }  // connected and LISTENing
    void stop();                                   // joins the thread; idempotent

  private:
    void run();
    NotifierOptions options_;
    OnNotify on_notify_;
    OnReconnect on_reconnect_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> listening_{false};
    std::thread thread_;
};

}  // namespace vg::db
