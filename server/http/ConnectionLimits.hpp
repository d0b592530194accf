#pragma once
// What one client may hold of a server (issue 14 item 7): open connections per client address
// (HTTP and the WebSockets upgraded from it), so that one address cannot fill max_connections;
// and the refusals counted for /metrics. Trusted proxies (whose clients are many) are exempt.
// Thread-safe.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vg::http {

struct LimitCounts {
    std::uint64_t refused_per_address = 0;  // connections closed at accept: the address is full
    std::uint64_t refused_total = 0;        // closed at accept: max_connections reached
    std::uint64_t accept_errors = 0;        // accept failed (EMFILE, ENFILE, ENOBUFS...)
    std::uint64_t websocket_rate_closed = 0;  // WebSockets closed for sending too fast
};

class ConnectionLimits : public std::enable_shared_from_this<ConnectionLimits> {
  public:
    explicit ConnectionLimits(std::size_t per_address) : per_address_(per_address) {}

    // A slot for one connection from address, released when the last copy goes; null when the
    // address holds per_address connections already (counted).
    std::shared_ptr<void> claim(const std::string& address);
    std::size_t open_from(const std::string& address) const;

    void count_refused_total() { refused_total_.fetch_add(1, std::memory_order_relaxed); }
    void count_accept_error() { accept_errors_.fetch_add(1, std::memory_order_relaxed); }
    void count_websocket_rate_closed() {
        websocket_rate_closed_.fetch_add(1, std::memory_order_relaxed);
    }
    LimitCounts counts() const;

  private:
    void release(const std::string& address);

    const std::size_t per_address_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::size_t> open_;
    std::atomic<std::uint64_t> refused_per_address_{0};
    std::atomic<std::uint64_t> refused_total_{0};
    std::atomic<std::uint64_t> accept_errors_{0};
    std::atomic<std::uint64_t> websocket_rate_closed_{0};
};

}  // namespace vg::http
