#pragma once
// The live-events connections open on this node, and of them the ones whose hello was admitted
// (whom fan-out and the heartbeat address). Any thread may use it; it holds its lock only to
// copy, never while a peer is called, and keeps the peers weakly: a closed connection's peer
// goes away when its session does, and forget() drops it from here.
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "signaling/events/EventsPeer.hpp"
#include "signaling/events/Fanout.hpp"

namespace vg::signaling::events {

class Connections {
  public:
    void add(const std::shared_ptr<EventsPeer>& peer);
    void forget(const EventsPeer* peer);
    std::size_t size() const;
    // Every peer still alive.
    std::vector<std::shared_ptr<EventsPeer>> all() const;
    // The peers admitted so far, each with who it is.
    std::vector<Fanout::Admitted> admitted() const;

  private:
    mutable std::mutex mutex_;
    std::unordered_map<const EventsPeer*, std::weak_ptr<EventsPeer>> peers_;
};

}  // namespace vg::signaling::events
