#pragma once
// Agents away (leave, training, a sick day): no slot of theirs is offered while away
// (vg_slot_starts in migrations/0010_hours.sql). Visits already booked with them stay: staff move
// them, as they would for any change of plan.
#include <optional>
#include <string>

#include "db/Connection.hpp"

namespace vg::desk {

struct Absence {
    std::string agent_id;
    std::string starts_at;
    std::string ends_at;
    std::optional<std::string> reason;
};

class AgentAbsences {
  public:
    // The absence's JSON; actor names who recorded it ("kind:id").
    static std::string create(db::Connection& db, const Absence& absence, const std::string& actor,
                              const std::string& now);
    // {"absences":[...]}: those of the site's agents not over at from, by start, at most limit.
    static std::string list_for_site_json(db::Connection& db, const std::string& site_id,
                                          const std::string& from, int limit);
    // Deletes the absence; its agent, or nullopt when there was none.
    static std::optional<std::string> remove(db::Connection& db, const std::string& absence_id);
};

}  // namespace vg::desk
