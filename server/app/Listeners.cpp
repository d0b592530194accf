#include "app/Listeners.hpp"

#include "common/Log.hpp"
#include "http/Metrics.hpp"
#include "http/Server.hpp"
#include "http/TlsContext.hpp"

namespace vg::app {
namespace {

ConfigError tls_error(const http::TlsContext::Error& e) {
    return ConfigError("tls_cert_file / tls_key_file: " + std::string(e.what()));
}

}  // namespace

void Listeners::check_tls(const Config& config) {
    if (!config.tls()) return;
    try {
        http::TlsContext::load(config.tls_cert_file, config.tls_key_file);
    } catch (const http::TlsContext::Error& e) {
        throw tls_error(e);
    }
}

Listeners::Listeners(const Config& config, const http::Router& public_routes,
                     const http::Router& admin_routes, http::Metrics& metrics)
    : config_(config), metrics_(metrics) {
    http::ServerOptions options;
    options.address = config.http_addr.host;
    options.port = config.http_addr.port;
    options.threads = static_cast<std::size_t>(config.http_threads);
    options.static_root = config.web_root;
    options.tls_cert_file = config.tls_cert_file;
    options.tls_key_file = config.tls_key_file;
    if (config.behind_proxy) options.trusted_proxies = config.trusted_proxies;
    options.dev_pages = config.dev_pages;
    options.allowed_origins = config.allowed_origins;
    options.allowed_origins.push_back(config.public_url);
    options.camera_pages = {"booth", "agent", "dev"};
    options.max_connections = static_cast<std::size_t>(config.max_connections);
    options.max_connections_per_address =
        static_cast<std::size_t>(config.max_connections_per_address);
    options.websocket_messages_per_second = config.websocket_messages_per_second;
    options.websocket_message_burst = 3.0 * config.websocket_messages_per_second;
    try {
        public_ = std::make_unique<http::Server>(options, public_routes, metrics);
    } catch (const http::TlsContext::Error& e) {
        throw tls_error(e);
    }

    http::ServerOptions admin;
    admin.address = config.admin_addr.host;
    admin.port = config.admin_addr.port;
    admin.threads = 1;
    admin.max_connections = 64;  // scrapers and probes, not clients
    admin_ = std::make_unique<http::Server>(admin, admin_routes, metrics);

    auto* server = public_.get();
    metrics_.add_gauge("vg_http_connections", "Open connections on http_addr, by what they speak",
                       [server] { return static_cast<double>(server->connections().http); },
                       {{"protocol", "http"}});
    metrics_.add_gauge("vg_http_connections", "Open connections on http_addr, by what they speak",
                       [server] { return static_cast<double>(server->connections().websocket); },
                       {{"protocol", "websocket"}});
    const char* refused = "Connections on http_addr closed at accept, by the limit they met";
    metrics_.add_counter(
        "vg_http_connections_refused_total", refused,
        [server] { return static_cast<double>(server->limit_counts().refused_per_address); },
        {{"limit", "per_address"}});
    metrics_.add_counter(
        "vg_http_connections_refused_total", refused,
        [server] { return static_cast<double>(server->limit_counts().refused_total); },
        {{"limit", "total"}});
    metrics_.add_counter(
        "vg_http_accept_errors_total", "Failed accepts on http_addr (EMFILE...), each backed off",
        [server] { return static_cast<double>(server->limit_counts().accept_errors); });
    metrics_.add_counter(
        "vg_websocket_rate_closed_total", "WebSockets closed (1008) for sending messages too fast",
        [server] { return static_cast<double>(server->limit_counts().websocket_rate_closed); });
}

Listeners::~Listeners() {
    metrics_.remove("vg_http_connections");
    metrics_.remove("vg_http_connections_refused_total");
    metrics_.remove("vg_http_accept_errors_total");
    metrics_.remove("vg_websocket_rate_closed_total");
}

std::shared_ptr<http::AllowedOrigins> Listeners::origins() const {
    return public_->origins();
}

void Listeners::add_websocket(std::string path, http::WebSocketFactory factory) {
    public_->add_websocket(std::move(path), std::move(factory));
}

void Listeners::start() {
    public_->start();
    admin_->start();
    auto log = common::log::get("app");
    log->info("listening on {}://{} (web apps from {}); admin (health, metrics) on http://{}:{}",
              config_.tls() ? "https" : "http", config_.http_addr.to_string(), config_.web_root,
              config_.admin_addr.host, admin_->port());
}

void Listeners::reload_tls() {
    auto log = common::log::get("app");
    if (!config_.tls()) {
        log->info("SIGHUP: no tls_cert_file set, nothing to reload");
        return;
    }
    try {
        auto serial = public_->reload_tls();
        log->info("SIGHUP: TLS certificate reloaded (serial {}) for new connections", serial);
    } catch (const std::exception& e) {
        log->error("SIGHUP: TLS certificate not reloaded, the previous one stays: {}", e.what());
    }
}

void Listeners::stop(std::chrono::milliseconds grace) {
    public_->stop(grace);
    admin_->stop(std::chrono::milliseconds(500));
}

}  // namespace vg::app
