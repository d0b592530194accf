#include "http/ServerContext.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace vg::http {
namespace {

bool same_text(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

ServerContext::ServerContext(ServerOptions server_options, const Router& server_router,
                             Metrics& server_metrics)
    : options(std::move(server_options)),
      router(server_router),
      metrics(server_metrics),
      trusted_proxies(TrustedProxies::parse(options.trusted_proxies)),
      origins(std::make_shared<AllowedOrigins>(options.allowed_origins)),
      limits(std::make_shared<ConnectionLimits>(options.max_connections_per_address)) {
    if (!options.static_root.empty()) {
        static_files.emplace(
            options.static_root,
            options.dev_pages ? std::vector<std::string>{} : std::vector<std::string>{"dev"},
            options.camera_pages);
    }
}

bool ServerContext::origin_allowed(const Request& request) const {
    const std::string origin = request.header("Origin");
    if (origin.empty()) return true;
    const std::string own = (request.secure ? "https://" : "http://") + request.header("Host");
    return same_text(origin, own) || origins->allows(origin);
}

std::shared_ptr<TlsContext> ServerContext::tls() const {
    std::lock_guard lock(mutex_);
    return tls_;
}

void ServerContext::set_tls(std::shared_ptr<TlsContext> tls) {
    std::lock_guard lock(mutex_);
    tls_ = std::move(tls);
}

ConnectionCounts ServerContext::connections() const {
    std::lock_guard lock(mutex_);
    return ConnectionCounts{http_.size(), websockets_.size()};
}

bool ServerContext::add_http(std::shared_ptr<Session> session) {
    std::lock_guard lock(mutex_);
    if (http_.size() + websockets_.size() >= options.max_connections) {
        limits->count_refused_total();
        return false;
    }
    const Session* key = session.get();
    http_.emplace(key, std::move(session));
    return true;
}

void ServerContext::add_websocket(const std::shared_ptr<Session>& session) {
    std::lock_guard lock(mutex_);
    websockets_.emplace(session.get(), session);
}

void ServerContext::remove(const Session* session) {
    std::shared_ptr<Session> last;  // released after the lock, in case it is the last owner
    {
        std::lock_guard lock(mutex_);
        if (auto it = http_.find(session); it != http_.end()) {
            last = std::move(it->second);
            http_.erase(it);
        }
        websockets_.erase(session);
    }
    changed_.notify_all();
}

std::vector<std::shared_ptr<ServerContext::Session>> ServerContext::http_sessions() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<Session>> all;
    for (const auto& [key, session] : http_) all.push_back(session);
    return all;
}

std::vector<std::shared_ptr<ServerContext::Session>> ServerContext::websocket_sessions() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<Session>> all;
    for (const auto& [key, weak] : websockets_) {
        if (auto session = weak.lock()) all.push_back(std::move(session));
    }
    return all;
}

bool ServerContext::wait_http_closed(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline, [&] { return http_.empty(); });
}

bool ServerContext::wait_websockets_closed(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline, [&] { return websockets_.empty(); });
}

void ServerContext::clear() {
    std::unordered_map<const Session*, std::shared_ptr<Session>> http;
    {
        std::lock_guard lock(mutex_);
        http.swap(http_);
        websockets_.clear();
    }
}

}  // namespace vg::http
