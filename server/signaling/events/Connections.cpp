#include "signaling/events/Connections.hpp"

namespace vg::signaling::events {

void Connections::add(const std::shared_ptr<EventsPeer>& peer) {
    std::lock_guard lock(mutex_);
    peers_[peer.get()] = peer;
}

void Connections::forget(const EventsPeer* peer) {
    std::lock_guard lock(mutex_);
    peers_.erase(peer);
}

std::size_t Connections::size() const {
    std::lock_guard lock(mutex_);
    return peers_.size();
}

std::vector<std::shared_ptr<EventsPeer>> Connections::all() const {
    std::vector<std::weak_ptr<EventsPeer>> weak;
    {
        std::lock_guard lock(mutex_);
        weak.reserve(peers_.size());
        for (const auto& [key, peer] : peers_) weak.push_back(peer);
    }
    std::vector<std::shared_ptr<EventsPeer>> alive;
    for (const auto& peer : weak)
        if (auto strong = peer.lock()) alive.push_back(std::move(strong));
    return alive;
}

std::vector<Fanout::Admitted> Connections::admitted() const {
    std::vector<Fanout::Admitted> result;
    for (auto& peer : all())
        if (auto principal = peer->principal()) result.push_back({peer, std::move(*principal)});
    return result;
}

}  // namespace vg::signaling::events
