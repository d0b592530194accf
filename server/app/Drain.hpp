#pragma once
// SIGTERM on a node with calls (CONTRACT.md "Several nodes on one database"): the node turns
// draining so that nothing new is placed on it, tells its participants to move (bye "moved"),
// and waits until they have gone, at most drain_seconds.
#include <signal.h>

#include <chrono>

namespace vg::signaling {
class CallSignaling;
}

namespace vg::app {

class NodeHeartbeat;

class Drain {
  public:
    // Returns when no participant is left, after `limit`, or at another SIGINT/SIGTERM (blocked
    // signals in `signals`, which this thread waits for).
    static void run(signaling::CallSignaling& calls, NodeHeartbeat& heartbeat,
                    std::chrono::seconds limit, const sigset_t& signals);
};

}  // namespace vg::app
