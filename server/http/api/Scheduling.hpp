#pragma once
// The scheduling rules in SQL: slots from weekly availability in the site's local time, and the
// choice of a free booth and a free qualified agent for one slot.
#include <optional>
#include <string>

#include "db/Connection.hpp"

namespace vg::http::api {

struct Placement {
    enum class Outcome { NotASlot, Full, Placed };
    Outcome outcome = Outcome::NotASlot;
    std::string agent_id;
    std::string booth_id;
    std::string ends_at;
};

class Scheduling {
  public:
    // The slots of a local date: {"slots":[{starts_at, ends_at, available}]}; only those that
    // start after now. language: only agents who speak it count (nullopt: any).
    static std::string slots_json(db::Connection& db, const std::string& site_id,
                                  const std::string& service_id, const std::string& date,
                                  const std::string& now,
                                  const std::optional<std::string>& language);
    // Whether starts_at is a slot start of this site and service, and if so a free booth and a
    // free agent who serves the service and speaks the language. ignore_appointment: the one
    // being rescheduled (its own time does not block it); prefer_*: keep its booth and agent
    // when they are free.
    static Placement place(db::Connection& db, const std::string& site_id,
                           const std::string& service_id, const std::string& starts_at,
                           const std::string& language,
                           const std::optional<std::string>& ignore_appointment = std::nullopt,
                           const std::optional<std::string>& prefer_agent = std::nullopt,
                           const std::optional<std::string>& prefer_booth = std::nullopt);
};

}  // namespace vg::http::api
