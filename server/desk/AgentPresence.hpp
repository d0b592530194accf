#pragma once
// The presence an agent sets for themselves (available, away, offline), within the transitions
// domain::Presence allows; the states the desk sets (offered, in_call) are Queue's and Offers'.
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"
#include "domain/Presence.hpp"

namespace vg::desk {

struct PresenceChange {
    // The state the agent is in when it does not allow the one wanted; nullopt when set.
    std::optional<domain::PresenceState> refused_from;
    std::string json;  // presence_json after
};

class AgentPresence {
  public:
    // {state, since}; offline with since null for an agent who never had one.
    static std::string presence_json(db::Connection& db, const std::string& agent_id);
    // Leaving "offered" gives the offer back to the queue. Setting the same state again only
    // says the agent is still there.
    static PresenceChange set(db::Connection& db, const std::string& now, const Principal& agent,
                              const std::string& address, domain::PresenceState wanted);
    // The agent's console is gone (logout, sessions revoked): nothing can be offered to them any
    // more, so what was goes back to the queue and they are offline, unless in a call.
    static void leave_console(db::Connection& db, const std::string& now,
                              const std::string& agent_id);
};

}  // namespace vg::desk
