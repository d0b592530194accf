#pragma once
// Queue work shared by the booth, agent and queue routes and the housekeeping job. Each function
// runs inside the caller's transaction and records the domain events of what it changed.
#include <cstdint>
#include <string>
#include <string_view>

#include "db/Connection.hpp"

namespace vg::desk {

struct QueuePlace {
    int position = 0;  // 1 = next; 0 when the entry no longer waits
    std::int64_t estimated_wait_seconds = 0;
};

class Queue {
  public:
    // The order agents take entries in: an entry sent back by a dropped call first (priority),
    // then appointments that are due, then by arrival. $now must be the statement's "now".
    static std::string order_by(std::string_view now_param);

    static QueuePlace place(db::Connection& db, const std::string& now,
                            const std::string& entry_id);
    // Entries offered to this agent go back to waiting (the agent's presence is the caller's).
    static int return_offers_of(db::Connection& db, const std::string& now,
                                const std::string& agent_id);
    // The citizen at this booth left: their waiting or offered entry is abandoned; an agent it was
    // offered to becomes available again.
    static int abandon_at_booth(db::Connection& db, const std::string& now,
                                const std::string& booth_id);
    // Offers past their expiry go back to waiting, their agents back to available.
    static int expire_offers(db::Connection& db, const std::string& now);
    // Offers the next waiting entry to the available qualified agent who has waited longest,
    // if there is such a pair; true when it made an offer. Both rows are taken with SKIP LOCKED,
    // so concurrent dispatchers (and claim-next) never offer one entry or one agent twice.
    static bool offer_next(db::Connection& db, const std::string& now,
                           const std::string& expires_at);
};

}  // namespace vg::desk
