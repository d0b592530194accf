#pragma once
// The nodes table (migrations/0008): each `serve` process registers itself, heartbeats its load
// and its state, and reads who else is alive. The database's clock decides liveness: a node is
// lost once its lease (now + its node_lost_seconds at its last heartbeat) has passed.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace vg::db {
class Connection;
}

namespace vg::desk {

// What a node tells the others about itself; fixed for the life of the process.
struct NodeIdentity {
    std::string name;           // node_name: unique among the nodes sharing the database
    std::string public_url;     // where browsers reach its HTTP API
    std::string signaling_url;  // its /rtc/v1, where the call sessions it hosts are joined
    std::string public_addr;    // its media address (ICE candidates)
    std::string version;
    std::chrono::seconds lost_after{6};  // node_lost_seconds
};

// What a node hosts now, as its heartbeat reports it.
struct NodeLoad {
    std::int64_t call_sessions = 0;
    std::int64_t participants = 0;
    double cpu_cores = 0;  // CPU the process used over the last interval (1.0 = one core)
};

// One node as GET /nodes shows it.
struct NodeView {
    std::string name;
    std::string public_url;
    std::string state;  // active | draining | lost
    std::string last_seen_at;
    std::int64_t call_sessions = 0;
    std::int64_t participants = 0;
};

// How many nodes of each state the heartbeat saw.
struct NodeCounts {
    std::int64_t active = 0;
    std::int64_t draining = 0;
    std::int64_t lost = 0;
    // This node's own lease had run out before this heartbeat (also after a clean stop): the
    // others may have placed its call sessions elsewhere meanwhile.
    bool was_lost = false;
};

class NodeRegistry {
  public:
    // Inserts or refreshes the node's row and extends its lease; returns the nodes seen by state.
    // first: the process's first heartbeat (started_at is reset).
    static NodeCounts heartbeat(db::Connection& db, const NodeIdentity& node, const NodeLoad& load,
                                bool draining, bool first);
    // Ends the lease at once (a clean stop): its call sessions are re-placed on their next join.
    static void leave(db::Connection& db, const std::string& name);
    // Forgets nodes lost for longer than `after` (names of replaced pods pile up otherwise).
    static void forget_lost(db::Connection& db, std::chrono::hours after);
    // Every known node, by name.
    static std::vector<NodeView> list(db::Connection& db);
};

}  // namespace vg::desk
