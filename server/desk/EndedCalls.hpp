#pragma once
// Which call sessions a batch of domain events takes away from their participants: those that
// ended (session.ended) and the live ones of a booth that was revoked (booth.revoked). Signaling
// ends their participants on whichever node hosts them (CONTRACT.md "Credentials after creation").
#include <string>
#include <vector>

#include "db/Connection.hpp"

namespace vg::desk {

class EndedCalls {
  public:
    static std::vector<std::string> among(db::Connection& db,
                                          const std::vector<std::string>& event_ids);
};

}  // namespace vg::desk
