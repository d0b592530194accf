#pragma once
// The origins whose pages may open this server's WebSockets and reach it from scripts (CSP
// connect-src): the configured ones (allowed_origins, this node's public_url) and every node's
// public_url as the nodes table last listed them, since a page served by one node signals to
// the node that hosts its call. The nodes' list is replaced from the heartbeat's thread (the
// table is never read on a serving thread); readers take a snapshot. Thread-safe.
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace vg::http {

class AllowedOrigins {
  public:
    explicit AllowedOrigins(const std::vector<std::string>& configured);

    // What a browser sends as Origin for a page under url: "HTTPS://Node2.example.org:443/x"
    // -> "https://node2.example.org". "" when url is not an http(s) URL.
    static std::string origin_of(std::string_view url);

    // Every node's public_url (the nodes table); ignored when nothing changed.
    void set_node_urls(const std::vector<std::string>& public_urls);
    // Whether a page of this origin (as the Origin header says it) may connect.
    bool allows(std::string_view origin) const;
    // The whole Content-Security-Policy: connect-src 'self', each origin and its ws:/wss:.
    std::shared_ptr<const std::string> content_security_policy() const;

  private:
    struct Snapshot {
        std::vector<std::string> node_urls;  // as last given, to tell a change
        std::vector<std::string> origins;    // configured then nodes', normalized, no repeats
        std::string content_security_policy;
    };
    std::shared_ptr<const Snapshot> snapshot() const;
    std::shared_ptr<const Snapshot> make_snapshot(std::vector<std::string> node_urls) const;

    const std::vector<std::string> configured_;  // normalized
    mutable std::mutex mutex_;                   // guards the pointer, not what it points to
    std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace vg::http
