#pragma once
// Changes to one booked appointment, the same whoever asks (staff through the REST API, the
// citizen through their personal link): reschedule to another slot (the slot grid and placement
// of Scheduling, keeping the booth and agent when they are free) and cancel. Each writes the
// appointment, its history row, an audit event and a domain event inside the caller's
// transaction; the outbox's message comes with it (migrations/0009_messages.sql). The caller has
// checked who may do it and the version (If-Match).
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "desk/Scheduling.hpp"

namespace vg::desk {

// Who asks, as audit events and history record it.
struct Actor {
    std::string kind;  // api_key, agent, citizen
    std::string id;
    std::string source_address;
    std::string text() const { return kind + ":" + id; }
};

struct AppointmentRow {
    std::string id;
    std::string json;  // vg_appointment_json
    std::string version;
    std::string site_id;
    std::string service_id;
    std::string status;
    std::string language;
    std::string agent_id;
    std::string booth_id;
    std::string starts_at;
};

struct AppointmentChange {
    Placement::Outcome outcome = Placement::Outcome::Placed;  // reschedule: NotASlot, Full
    std::string json;
    std::string version;
};

class Appointments {
  public:
    // The row, locked until the transaction ends when for_update; nullopt when there is none.
    // plain_agent: an agent who reads it as such (LeastData::plain_agent), whose json then lacks
    // the citizen's contact and code unless they serve it.
    static std::optional<AppointmentRow> load(
        db::Connection& db, const std::string& id, bool for_update,
        const std::optional<std::string>& plain_agent = std::nullopt);
    // A booked appointment to starts_at (checked to be a whole minute in the future within the
    // horizon). Takes the site's booking turn until the commit. A concurrent booking that took
    // the chosen booth or agent surfaces as db::Error 23P01: run it again (with_placement_retries).
    static AppointmentChange reschedule(db::Connection& db, const AppointmentRow& current,
                                        const std::string& starts_at, const Actor& actor,
                                        const std::string& now);
    // A booked or checked-in appointment (a checked-in citizen's queue entry ends with it).
    static AppointmentChange cancel(db::Connection& db, const AppointmentRow& current,
                                    const std::string& reason, const Actor& actor,
                                    const std::string& now);

    // What the citizen's own page shows of their visit, and nothing else of anyone's:
    // {appointment: {id, status, starts_at, ends_at, check_in_code (while booked), language,
    // version, cancel_reason}, site: {name_fr, name_en, address, timezone}, service: {id,
    // name_fr, name_en, duration_minutes}}.
    static std::string citizen_view_json(db::Connection& db, const std::string& id);

    // Runs attempt again when a concurrent booking took the booth or agent it chose (23P01), a
    // deadlock was broken (40P01) or the check-in code it drew was taken (23505): the next attempt
    // sees that booking and chooses again, or finds the slot full.
    template <typename Fn>
    static auto with_placement_retries(Fn&& attempt) -> decltype(attempt());
};

template <typename Fn>
auto Appointments::with_placement_retries(Fn&& attempt) -> decltype(attempt()) {
    constexpr int kAttempts = 6;
    for (int i = 1;; ++i) {
        try {
            return attempt();
        } catch (const db::Error& e) {
            bool retry =
                e.sqlstate() == "23P01" || e.sqlstate() == "40P01" ||
                (e.sqlstate() == "23505" && e.constraint() == "appointments_check_in_code");
            if (!retry || i == kAttempts) throw;
        }
    }
}

}  // namespace vg::desk
