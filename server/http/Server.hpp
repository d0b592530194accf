#pragma once
// The HTTP/1.1 and WebSocket server. Beast stays behind this header: only Server.cpp and the
// session classes include it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "http/AllowedOrigins.hpp"
#include "http/ConnectionLimits.hpp"
#include "http/Metrics.hpp"
#include "http/Router.hpp"
#include "http/WebSocket.hpp"

namespace vg::http {

struct ServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: any free port, see Server::port()
    std::size_t threads = 2;
    std::size_t body_limit = 1024 * 1024;           // larger bodies: 413
    std::size_t header_limit = 8 * 1024;            // larger request line and headers: 431
    std::chrono::milliseconds read_timeout{15000};  // a whole request, from its first byte
    std::chrono::milliseconds idle_timeout{60000};  // keep-alive wait for the next request
    std::string static_root;                        // the web apps; empty: none
    std::size_t websocket_message_limit = 64 * 1024;
    std::size_t websocket_write_queue = 256;  // messages; a client that falls behind is closed
    std::size_t max_connections = 10000;      // beyond: accepted and closed at once
    // Per client address (the TCP peer; trusted_proxies exempt), so one client cannot take
    // max_connections: beyond, accepted and closed at once.
    std::size_t max_connections_per_address = 256;
    // Messages a WebSocket client may send: a bucket of websocket_message_burst refilled at
    // websocket_messages_per_second; an empty bucket closes the connection (1008).
    double websocket_messages_per_second = 20;
    double websocket_message_burst = 60;
    // HTTPS when both are set (PEM; the certificate file may hold the chain): TLS 1.2 and 1.3,
    // every answer with Strict-Transport-Security. Empty: plain HTTP.
    std::string tls_cert_file;
    std::string tls_key_file;
    // CIDR blocks whose X-Forwarded-For / X-Forwarded-Proto are believed ("10.0.0.0/8, ::1").
    std::string trusted_proxies;
    // The static folder's dev/ (test pages) is served only when asked for.
    bool dev_pages = false;
    // Origins ("https://node2.example.org") of pages that may open this server's WebSockets and
    // fetch from it (CSP connect-src); a page's own origin always may, and so may the nodes'
    // given to origins() later.
    std::vector<std::string> allowed_origins;
    // Top-level folders of static_root whose pages may use the camera and microphone
    // (Permissions-Policy); every other answer denies them.
    std::vector<std::string> camera_pages;
};

struct ConnectionCounts {
    std::size_t http = 0;       // connections speaking HTTP (waiting, reading, answering)
    std::size_t websocket = 0;  // upgraded connections
};

class Server {
  public:
    // router and metrics must outlive the server. Throws std::invalid_argument for a bad
    // static_root.
    Server(ServerOptions options, const Router& router, Metrics& metrics);
    ~Server();  // stops at once if still running
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // A WebSocket endpoint at path (GET with Upgrade); before start().
    void add_websocket(std::string path, WebSocketFactory factory);
    // Binds and starts the threads. Throws std::runtime_error naming the address when it cannot
    // listen (address taken, bad address).
    void start();
    std::uint16_t port() const;
    // Reads the TLS files again: new connections get the new certificate, open ones keep the
    // one they started with. Throws TlsContext::Error (the running context stays) and
    // std::logic_error on a plain-HTTP server. Thread-safe. Answers the new leaf's serial.
    std::string reload_tls();
    ConnectionCounts connections() const;
    LimitCounts limit_counts() const;  // refusals of ConnectionLimits, for /metrics
    // allowed_origins and the nodes' public_url origins given to it since (see AllowedOrigins);
    // shared, so that whoever refreshes it may outlive the server.
    std::shared_ptr<AllowedOrigins> origins() const;
    // Graceful stop: stop accepting, let requests in flight finish (up to grace), close
    // WebSockets with 1001, end the threads. Blocks until done; idempotent. Not from a handler.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
    // Blocks until the server's threads have ended (after stop() from another thread).
    void wait();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vg::http
