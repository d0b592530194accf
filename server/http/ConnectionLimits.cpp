#include "http/ConnectionLimits.hpp"

namespace vg::http {

std::shared_ptr<void> ConnectionLimits::claim(const std::string& address) {
    {
        std::lock_guard lock(mutex_);
        auto& open = open_[address];
        if (open >= per_address_) {
            refused_per_address_.fetch_add(1, std::memory_order_relaxed);
            return nullptr;
        }
        ++open;
    }
    // The slot keeps this object alive: a connection may outlive the server's own reference.
    return std::shared_ptr<void>(static_cast<void*>(this),
                                 [self = shared_from_this(), address](void*) {
        self->release(address);
    });
}

void ConnectionLimits::release(const std::string& address) {
    std::lock_guard lock(mutex_);
    auto it = open_.find(address);
    if (it == open_.end()) return;
    if (--it->second == 0) open_.erase(it);
}

std::size_t ConnectionLimits::open_from(const std::string& address) const {
    std::lock_guard lock(mutex_);
    auto it = open_.find(address);
    return it == open_.end() ? 0 : it->second;
}

LimitCounts ConnectionLimits::counts() const {
    return LimitCounts{refused_per_address_.load(std::memory_order_relaxed),
                       refused_total_.load(std::memory_order_relaxed),
                       accept_errors_.load(std::memory_order_relaxed),
                       websocket_rate_closed_.load(std::memory_order_relaxed)};
}

}  // namespace vg::http
