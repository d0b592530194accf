#pragma once
// Which node hosts a call session's media. A new session is placed by the database itself
// (migrations/0008, in the transaction that inserts it, on the least-loaded active node); a join
// whose host is lost or draining places it again here. The session's row is locked while its
// host is read and changed, so when several nodes try at once exactly one places it and the
// others answer that node.
#include <string>
#include <vector>

namespace vg::db {
class Connection;
}

namespace vg::desk {

// The node answering the request.
struct LocalNode {
    std::string name;  // "" when this process is not registered (a test's in-process server)
    std::string signaling_url;
    bool draining = false;
};

struct Host {
    std::string name;  // "" when the local unregistered node hosts it
    std::string signaling_url;
    bool placed_now = false;  // this call changed the host
};

class Placement {
  public:
    // The call session's host, placed again when its node is lost, draining or unknown. Runs its
    // own transaction. When no node is active, the local node hosts it unless it is draining;
    // throws NoNodeAvailable then.
    static Host host(db::Connection& db, const std::string& session_id, const LocalNode& self);

    // Among the call sessions `node` holds in memory, those it must let go: placed on another
    // node while it was lost (moved), or ended meanwhile (the notification may have been missed).
    struct LetGo {
        std::vector<std::string> moved;
        std::vector<std::string> ended;
    };
    static LetGo hosted_elsewhere(db::Connection& db, const std::string& node,
                                  const std::vector<std::string>& session_ids);
};

class NoNodeAvailable : public std::exception {
  public:
    const char* what() const noexcept override { return "no active node can host the call"; }
};

}  // namespace vg::desk
