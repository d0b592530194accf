#pragma once
// Work nobody asks for by request, to run every few seconds on every node (each step takes what
// it changes with SKIP LOCKED or a conditional UPDATE, so two nodes do not collide):
//   - offers past their expiry go back to the queue;
//   - agents in wrap-up longer than options.wrap_up become available;
//   - agents whose console has been silent longer than options.presence_grace go offline: what was
//     offered to them returns to the queue, and a call they were in ends (technical_failure) and
//     sends the citizen back to the front of the queue;
//   - booked appointments more than check_in_closes_after past their start become no-shows;
//   - with options.auto_offer, waiting entries are offered to available qualified agents;
//   - idempotency records older than a day are forgotten.
#include <string>

#include "db/Connection.hpp"
#include "desk/Options.hpp"

namespace vg::desk {

struct HousekeepingReport {
    int offers_expired = 0;
    int wrap_ups_ended = 0;
    int agents_lost = 0;
    int no_shows = 0;
    int offers_made = 0;
};

class Housekeeping {
  public:
    static HousekeepingReport run(db::Connection& db, const Options& options,
                                  const std::string& now);
    // The agent's console is alive (call on each live-events heartbeat).
    static void touch_agent(db::Connection& db, const std::string& agent_id,
                            const std::string& now);
};

}  // namespace vg::desk
