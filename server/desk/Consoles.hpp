#pragma once
// The consoles and booths holding a live-events connection on this server: each beat of the
// queue clock keeps them present (agent_presence.last_seen_at, booths.last_seen_at; an agent
// whose last connection closed goes offline after Options::presence_grace) and finds those whose
// credential was revoked or expired since their hello.
#include <cstddef>
#include <string>
#include <vector>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

class Consoles {
  public:
    // Marks every connected agent and booth seen now; returns the indices in connected of those
    // whose API key, agent session or booth is no longer valid.
    static std::vector<std::size_t> keep_alive(db::Connection& db,
                                               const std::vector<Principal>& connected,
                                               const std::string& now);
};

}  // namespace vg::desk
