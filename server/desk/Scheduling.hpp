#pragma once
// The scheduling rules in SQL: slots from weekly availability in the site's local time (one grid
// rule, vg_slot_starts), and the choice of a free booth and a free qualified agent for one slot
// (vg_place and vg_book), all in migrations/0003_booking.sql.
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

struct Placement {
    enum class Outcome { NotASlot, Full, Placed };
    Outcome outcome = Outcome::NotASlot;
    std::string agent_id;
    std::string booth_id;
    std::string ends_at;
};

struct Citizen {
    std::string name;
    std::string language;
    std::optional<std::string> phone;
    std::optional<std::string> email;
};

// A booking made (outcome Placed) or refused; json and version are the appointment's.
struct Booking {
    Placement::Outcome outcome = Placement::Outcome::NotASlot;
    std::string id;
    std::string json;
    std::string version;
    std::string agent_id;
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
    // Places and inserts an appointment, its history row, its audit event (by actor, from
    // source_address) and its domain event in one statement (its own transaction unless the
    // caller opened one), taking the site's booking turn only while it chooses and inserts. A
    // concurrent booking may have taken the booth or agent chosen: db::Error 23P01, to retry.
    static Booking book(db::Connection& db, const std::string& site_id,
                        const std::string& service_id, const std::string& starts_at,
                        const Citizen& citizen, const Principal& actor,
                        const std::string& source_address, const std::string& now);
};

}  // namespace vg::desk
