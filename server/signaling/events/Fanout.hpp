#pragma once
// The fan-out of live events: which connected client hears of a committed domain event, and with
// what message (the state read now, so one message per subject per batch says it all). Runs in
// LiveEvents' serial database jobs.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::signaling::events {

class EventsPeer;

class Fanout {
  public:
    struct Admitted {
        std::shared_ptr<EventsPeer> peer;
        desk::Principal principal;
    };

    // The domain_events rows with these ids (as notified), each to the clients allowed to see it.
    static void deliver(db::Connection& db, const std::vector<std::string>& event_ids,
                        const std::vector<Admitted>& audience, const std::string& now);

  private:
    static void deliver_one(db::Connection& db, const db::Result& events, int row,
                            const std::vector<Admitted>& audience, std::set<std::string>& done,
                            const std::string& now);
};

}  // namespace vg::signaling::events
