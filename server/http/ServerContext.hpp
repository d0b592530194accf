#pragma once
// What the listener and the sessions of one server share: options, routes, and the registry of
// open connections that a graceful stop walks through. Internal to the server; no Beast here.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/AllowedOrigins.hpp"
#include "http/ConnectionLimits.hpp"
#include "http/Metrics.hpp"
#include "http/Router.hpp"
#include "http/Server.hpp"
#include "http/StaticFiles.hpp"
#include "http/TrustedProxies.hpp"
#include "http/WebSocket.hpp"

namespace vg::http {

class TlsContext;

class ServerContext {
  public:
    // An open connection as the stop sequence sees it. shutdown() may be called from any thread.
    class Session {
      public:
        virtual ~Session() = default;
        virtual void shutdown() = 0;
        // After the io threads ended with the connection still open: release what it holds.
        virtual void abandon() {}
    };

    ServerContext(ServerOptions server_options, const Router& server_router,
                  Metrics& server_metrics);

    const ServerOptions options;
    const Router& router;
    Metrics& metrics;
    std::map<std::string, WebSocketFactory> websockets;  // filled before start
    std::optional<StaticFiles> static_files;
    const TrustedProxies trusted_proxies;
    // allowed_origins and, once the heartbeat listed them, every node's: who may connect.
    const std::shared_ptr<AllowedOrigins> origins;
    const std::shared_ptr<ConnectionLimits> limits;
    std::atomic<bool> stopping{false};

    // The TLS context for connections accepted from now on; null for plain HTTP.
    std::shared_ptr<TlsContext> tls() const;
    void set_tls(std::shared_ptr<TlsContext> tls);
    ConnectionCounts connections() const;
    // Whether a WebSocket upgrade may go on: no Origin (not a browser), the page's own origin
    // (scheme of the connection, Host header), or one of origins.
    bool origin_allowed(const Request& request) const;

    // HTTP sessions are held here: while a handler works on another thread nothing else holds
    // them. False when max_connections are open.
    bool add_http(std::shared_ptr<Session> session);
    // WebSocket sessions live through their pending reads; they are only listed here.
    void add_websocket(const std::shared_ptr<Session>& session);
    void remove(const Session* session);

    std::vector<std::shared_ptr<Session>> http_sessions() const;
    std::vector<std::shared_ptr<Session>> websocket_sessions() const;
    bool wait_http_closed(std::chrono::steady_clock::time_point deadline);
    bool wait_websockets_closed(std::chrono::steady_clock::time_point deadline);
    void clear();

  private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::shared_ptr<TlsContext> tls_;
    std::unordered_map<const Session*, std::shared_ptr<Session>> http_;
    std::unordered_map<const Session*, std::weak_ptr<Session>> websockets_;
};

}  // namespace vg::http
