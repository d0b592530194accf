#include "rtc/worker/Routes.hpp"

#include <algorithm>

namespace vg::rtc::worker {
namespace {

// ICE characters (RFC 8445 ice-char), one per worker index.
constexpr std::string_view ufrag_markers =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

void Routes::mark_ufrag(std::string& ufrag, std::size_t worker_index) {
    if (!ufrag.empty() && worker_index < max_workers) ufrag[0] = ufrag_markers[worker_index];
}

std::size_t Routes::owner_of_ufrag(std::string_view ufrag) {
    if (ufrag.empty()) return max_workers;
    const auto position = ufrag_markers.find(ufrag.front());
    return position == std::string_view::npos ? max_workers : position;
}

room::Participant* Routes::by_ufrag(std::string_view ufrag) const {
    const auto found = by_ufrag_.find(ufrag);
    return found == by_ufrag_.end() ? nullptr : found->second;
}

void Routes::add_ufrag(const std::string& ufrag, room::Participant& participant) {
    by_ufrag_[ufrag] = &participant;
}

room::Participant* Routes::by_address(const net::SocketAddress& address) const {
    const auto found = by_address_.find(address);
    return found == by_address_.end() ? nullptr : found->second;
}

bool Routes::add_address(const net::SocketAddress& address, room::Participant& participant) {
    const auto existing = by_address_.find(address);
    if (existing != by_address_.end() && existing->second == &participant) return false;
    const auto count =
        std::count_if(by_address_.begin(), by_address_.end(),
                      [&](const auto& route) { return route.second == &participant; });
    if (static_cast<std::size_t>(count) >= max_addresses_per_participant) return false;
    by_address_[address] = &participant;
    return true;
}

void Routes::remove_addresses(const room::Participant& participant,
                              const std::function<void(const net::SocketAddress&)>& removed) {
    std::erase_if(by_address_, [&](const auto& entry) {
        if (entry.second != &participant) return false;
        removed(entry.first);
        return true;
    });
}

void Routes::forward(const net::SocketAddress& address, std::size_t owner, Clock::time_point now) {
    if (forwards_.size() < max_forwards || forwards_.contains(address))
        forwards_[address] = {owner, now};
}

std::optional<std::size_t> Routes::forward_of(const net::SocketAddress& address,
                                              Clock::time_point now) {
    const auto found = forwards_.find(address);
    if (found == forwards_.end()) return std::nullopt;
    found->second.last_used = now;
    return found->second.owner;
}

void Routes::forget_idle_forwards(Clock::time_point now) {
    if (now < next_forward_purge_) return;
    next_forward_purge_ = now + std::chrono::seconds(5);
    std::erase_if(forwards_, [&](const auto& entry) {
        return now - entry.second.last_used > forward_idle_limit;
    });
}

}  // namespace vg::rtc::worker
