#pragma once
// What an EventsPeer needs from the live events it belongs to (LiveEvents is the one; a test may
// hand a peer its own): the token check, forgetting a closed peer, and the hello deadline.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace vg::signaling::events {

class EventsPeer;

class EventsHub {
  public:
    virtual ~EventsHub() = default;
    // Checks the token, then admits the peer with its snapshot, or ends it (4401, 4403, 1013).
    virtual void authenticate(std::shared_ptr<EventsPeer> peer, std::string token) = 0;
    // The peer's connection closed.
    virtual void forget(const EventsPeer* peer) = 0;
    // Runs task once after delay, on any thread.
    virtual void schedule(std::chrono::milliseconds delay, std::function<void()> task) = 0;
};

}  // namespace vg::signaling::events
