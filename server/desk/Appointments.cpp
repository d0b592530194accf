#include "desk/Appointments.hpp"

#include <nlohmann/json.hpp>

#include "desk/DomainEvents.hpp"
#include "desk/Queue.hpp"

namespace vg::desk {

namespace {

void audit(db::Connection& db, const std::string& now, const Actor& actor, const char* action,
           const std::string& id, const std::string& details) {
    db.exec(
        "INSERT INTO audit_events (at, actor_kind, actor_id, action, object_type, object_id, "
        "source_address, details) VALUES ($1, $2, $3, $4, 'appointment', $5, $6, $7::jsonb)",
        {now, actor.kind, actor.id, std::string(action), id, actor.source_address, details});
}

}  // namespace

std::optional<AppointmentRow> Appointments::load(db::Connection& db, const std::string& id,
                                                 bool for_update,
                                                 const std::optional<std::string>& plain_agent) {
    auto rows = db.exec(
        std::string(
            "SELECT a.id::text, vg_appointment_seen_by(a, $2)::text, a.version, a.site_id::text, "
            "a.service_id::text, a.status::text, a.citizen_language, a.agent_id::text, "
            "a.booth_id::text, vg_time(a.starts_at) FROM appointments a WHERE a.id = $1") +
            (for_update ? " FOR UPDATE" : ""),
        {id, plain_agent});
    if (rows.rows() == 0) return std::nullopt;
    AppointmentRow row;
    for (auto [field, column] : {std::pair{&AppointmentRow::id, 0},
                                 {&AppointmentRow::json, 1},
                                 {&AppointmentRow::version, 2},
                                 {&AppointmentRow::site_id, 3},
                                 {&AppointmentRow::service_id, 4},
                                 {&AppointmentRow::status, 5},
                                 {&AppointmentRow::language, 6},
                                 {&AppointmentRow::agent_id, 7},
                                 {&AppointmentRow::booth_id, 8},
                                 {&AppointmentRow::starts_at, 9}})
        row.*field = std::string(rows.get(0, column));
    return row;
}

std::string Appointments::citizen_view_json(db::Connection& db, const std::string& id) {
    auto rows = db.exec(
        "SELECT jsonb_build_object("
        "  'appointment', jsonb_build_object('id', a.id, 'status', a.status,"
        "      'starts_at', vg_time(a.starts_at), 'ends_at', vg_time(a.ends_at),"
        "      'check_in_code', CASE WHEN a.status = 'booked' THEN a.check_in_code END,"
        "      'language', a.citizen_language, 'version', a.version,"
        "      'cancel_reason', a.cancel_reason),"
        "  'site', jsonb_build_object('name_fr', s.name_fr, 'name_en', s.name_en,"
        "      'address', s.address, 'timezone', s.timezone),"
        "  'service', jsonb_build_object('id', svc.id, 'name_fr', svc.name_fr,"
        "      'name_en', svc.name_en, 'duration_minutes', svc.duration_minutes))::text"
        " FROM appointments a JOIN sites s ON s.id = a.site_id"
        " JOIN services svc ON svc.id = a.service_id WHERE a.id = $1",
        {id});
    return std::string(rows.get(0, 0));
}

AppointmentChange Appointments::reschedule(db::Connection& db, const AppointmentRow& current,
                                           const std::string& starts_at, const Actor& actor,
                                           const std::string& now) {
    // Changes to the bookings of one site take turns (vg_book takes the same turn for a new
    // booking); a reschedule holds it until its commit.
    db.exec("SELECT pg_advisory_xact_lock(hashtextextended('booking:' || $1::uuid::text, 0))",
            {current.site_id});
    auto placement =
        Scheduling::place(db, current.site_id, current.service_id, starts_at, current.language,
                          current.id, current.agent_id, current.booth_id);
    AppointmentChange change;
    change.outcome = placement.outcome;
    if (placement.outcome != Placement::Outcome::Placed) return change;
    auto rows = db.exec(
        "UPDATE appointments SET starts_at = $2, ends_at = $3, agent_id = $4, booth_id = $5, "
        "version = version + 1, updated_at = $6 WHERE id = $1 "
        "RETURNING vg_appointment_json(appointments)::text, version",
        {current.id, starts_at, placement.ends_at, placement.agent_id, placement.booth_id, now});
    db.exec(
        "INSERT INTO appointment_history (appointment_id, action, actor, at, old_starts_at, "
        "new_starts_at, old_booth_id, new_booth_id, old_agent_id, new_agent_id) "
        "VALUES ($1, 'rescheduled', $2, $3, $4, $5, $6, $7, $8, $9)",
        {current.id, actor.text(), now, current.starts_at, starts_at, current.booth_id,
         placement.booth_id, current.agent_id, placement.agent_id});
    audit(db, now, actor, "appointment.reschedule", current.id,
          nlohmann::json{{"from", current.starts_at}, {"to", starts_at}}.dump());
    DomainEvents::emit(db, now, "appointment.changed", current.site_id, placement.agent_id,
                       std::nullopt, current.id);
    change.json = std::string(rows.get(0, 0));
    change.version = std::string(rows.get(0, 1));
    return change;
}

AppointmentChange Appointments::cancel(db::Connection& db, const AppointmentRow& current,
                                       const std::string& reason, const Actor& actor,
                                       const std::string& now) {
    if (current.status == "checked_in") {
        // The citizen is waiting at the booth: their queue entry ends with the appointment.
        auto booth = db.exec(
            "SELECT booth_id::text FROM queue_entries WHERE appointment_id = $1 "
            "AND state IN ('waiting', 'offered')",
            {current.id});
        if (booth.rows() == 1) Queue::abandon_at_booth(db, now, std::string(booth.get(0, 0)));
    }
    auto rows = db.exec(
        "UPDATE appointments SET status = 'cancelled', cancel_reason = $2, cancelled_by = $3, "
        "cancelled_at = $4, version = version + 1, updated_at = $4 WHERE id = $1 "
        "RETURNING vg_appointment_json(appointments)::text, version",
        {current.id, reason, actor.text(), now});
    auto details = nlohmann::json{{"reason", reason}}.dump();
    db.exec(
        "INSERT INTO appointment_history (appointment_id, action, actor, at, details) "
        "VALUES ($1, 'cancelled', $2, $3, $4::jsonb)",
        {current.id, actor.text(), now, details});
    audit(db, now, actor, "appointment.cancel", current.id, details);
    DomainEvents::emit(db, now, "appointment.changed", current.site_id, current.agent_id,
                       std::nullopt, current.id);
    AppointmentChange change;
    change.json = std::string(rows.get(0, 0));
    change.version = std::string(rows.get(0, 1));
    return change;
}

}  // namespace vg::desk
