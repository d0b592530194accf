#pragma once
// The two HTTP listeners of `serve`: http_addr (the web apps, the API and the WebSockets; HTTPS
// when tls_cert_file is set) and admin_addr (health and /metrics, plain HTTP for the host or the
// pod only), with the connection gauges of the public one.
#include <chrono>
#include <memory>
#include <string>

#include "app/Config.hpp"
#include "http/WebSocket.hpp"

namespace vg::http {
class AllowedOrigins;
class Metrics;
class Router;
class Server;
}  // namespace vg::http

namespace vg::app {

class Listeners {
  public:
    // Reads the TLS files (ConfigError naming tls_cert_file when they cannot be used); binds
    // nothing yet. Routers and metrics must outlive this object.
    Listeners(const Config& config, const http::Router& public_routes,
              const http::Router& admin_routes, http::Metrics& metrics);
    ~Listeners();
    Listeners(const Listeners&) = delete;
    Listeners& operator=(const Listeners&) = delete;

    // Whether the TLS files can be used now, before anything else starts; throws ConfigError
    // naming tls_cert_file.
    static void check_tls(const Config& config);

    void add_websocket(std::string path, http::WebSocketFactory factory);
    // Who may open the WebSockets: allowed_origins, public_url, and the nodes' (refreshed by
    // the heartbeat).
    std::shared_ptr<http::AllowedOrigins> origins() const;
    // Binds both; throws std::runtime_error naming the address that cannot be had.
    void start();
    // SIGHUP: new connections get the certificate and key read now; open connections and calls
    // keep theirs. A failure is logged and the running certificate stays.
    void reload_tls();
    void stop(std::chrono::milliseconds grace);

  private:
    const Config& config_;
    http::Metrics& metrics_;
    std::unique_ptr<http::Server> public_;
    std::unique_ptr<http::Server> admin_;
};

}  // namespace vg::app
