#include "http/ServerContext.hpp"

namespace vg::http {

ServerContext::ServerContext(ServerOptions server_options, const Router& server_router,
                             Metrics& server_metrics)
    : options(std::move(server_options)), router(server_router), metrics(server_metrics) {
    if (!options.static_root.empty()) static_files.emplace(options.static_root);
}

bool ServerContext::add_http(std::shared_ptr<Session> session) {
    std::lock_guard lock(mutex_);
    if (http_.size() + websockets_.size() >= options.max_connections) return false;
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
