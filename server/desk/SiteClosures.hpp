#pragma once
// Closures of a site (a snowstorm, a statutory holiday): while one lasts the site offers no slot
// and takes no booking, walk-in or check-in. A closure laid over booked visits cancels them in the
// same transaction, so their citizens are told (the outbox trigger of 0009_messages.sql) and the
// staff who made it see which ones.
#include <optional>
#include <string>

#include "db/Connection.hpp"

namespace vg::desk {

struct Closure {
    std::string site_id;
    std::string starts_at;
    std::string ends_at;
    std::string reason_fr;
    std::string reason_en;
};

struct ClosureMade {
    std::string id;
    // The closure's JSON with "cancelled_appointments": the visits it cancelled.
    std::string json;
};

class SiteClosures {
  public:
    // Inside the caller's transaction; actor names who closed ("kind:id").
    static ClosureMade create(db::Connection& db, const Closure& closure, const std::string& actor,
                              const std::string& now);
    // {"closures":[...]}: those of the site not over at from, by start, at most limit.
    static std::string list_json(db::Connection& db, const std::string& site_id,
                                 const std::string& from, int limit);
    // Deletes the closure; its site, or nullopt when there was none. Visits it cancelled stay
    // cancelled: their citizens were told and may have booked again.
    static std::optional<std::string> remove(db::Connection& db, const std::string& closure_id);
};

}  // namespace vg::desk
