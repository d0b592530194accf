#pragma once
// What a booth does with the queue: check its citizen in by the appointment's code, walk them in,
// let them leave. Each operation is its own transaction and leaves its audit and domain events;
// a refusal writes nothing (but a wrong code, which counts against the booth). The booth is the
// caller (its principal: its id and its one site).
#include <cstdint>
#include <string>

#include "db/Connection.hpp"
#include "desk/Options.hpp"
#include "desk/Principal.hpp"
#include "desk/Queue.hpp"

namespace vg::desk {

enum class BoothRefusal {
    None,
    TooManyWrongCodes,  // retry_after_seconds says when the window lets the booth try again
    UnknownCode,
    AlreadyCheckedIn,
    TooEarly,
    TooLate,
    Busy,              // a citizen already waits or talks at this booth
    NoSuchService,     // walk-in
    AppointmentsOnly,  // walk-in to a service that takes none
};

struct BoothEntry {
    BoothRefusal refusal = BoothRefusal::None;
    std::int64_t retry_after_seconds = 0;
    std::string queue_entry_id;  // when not refused
    QueuePlace place;
};

class BoothQueue {
  public:
    // typed: the code as the citizen typed it. Wrong codes are counted per booth; beyond
    // options.check_in_max_failures within the window the booth waits for the window to pass.
    static BoothEntry check_in(db::Connection& db, const std::string& now, const Principal& booth,
                               const std::string& address, const std::string& typed,
                               const Options& options);
    static BoothEntry walk_in(db::Connection& db, const std::string& now, const Principal& booth,
                              const std::string& address, const std::string& service_id,
                              const std::string& language);
    // The booth's citizen left before the call: their entry is abandoned, and a checked-in
    // appointment becomes a no-show. Nothing happens when nobody waits.
    static void leave(db::Connection& db, const std::string& now, const Principal& booth,
                      const std::string& address);

  private:
    static bool busy(db::Connection& db, const std::string& booth_id);
};

}  // namespace vg::desk
