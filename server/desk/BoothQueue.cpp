#include "desk/BoothQueue.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "desk/DomainEvents.hpp"
#include "domain/CheckInCode.hpp"

namespace vg::desk {

namespace {

using nlohmann::json;

// The appointment a code names at the booth's site, with what checking it in needs.
struct Found {
    std::string id, status, service_id, language, starts_at;
    bool open = false;      // not too early
    bool not_late = false;  // not too late
};

BoothEntry refused(BoothRefusal why) {
    BoothEntry entry;
    entry.refusal = why;
    return entry;
}

BoothEntry entered(db::Connection& db, const std::string& now, const std::string& entry_id) {
    BoothEntry entry;
    entry.queue_entry_id = entry_id;
    entry.place = Queue::place(db, now, entry_id);
    return entry;
}

std::string minutes(std::chrono::minutes m) {
    return std::to_string(m.count()) + " minutes";
}

}  // namespace

bool BoothQueue::busy(db::Connection& db, const std::string& booth_id) {
    return db.exec(
                 "SELECT 1 FROM queue_entries WHERE booth_id = $1 "
                 "AND state IN ('waiting', 'offered', 'accepted')",
                 {booth_id})
               .rows() > 0;
}

BoothEntry BoothQueue::check_in(db::Connection& db, const std::string& now, const Principal& booth,
                                const std::string& address, const std::string& typed,
                                const Options& options) {
    const auto& site_id = booth.site_ids.at(0);
    // Counted, looked up and recorded under a lock of the booth's own: guesses sent at once take
    // turns, so no more than the limit are ever answered.
    std::int64_t wait = 0;
    auto found = db.transaction([&](db::Connection& tx) -> std::optional<Found> {
        tx.exec("SELECT pg_advisory_xact_lock(hashtextextended('check_in:' || $1, 0))", {booth.id});
        auto failures = tx.exec(
            "SELECT count(*), extract(epoch FROM min(at) + $3::interval - $2::timestamptz)::bigint "
            "FROM check_in_attempts WHERE booth_id = $1 AND NOT succeeded "
            "AND at > $2::timestamptz - $3::interval",
            {booth.id, now, minutes(options.check_in_failure_window)});
        if (std::stoi(std::string(failures.get(0, 0))) >= options.check_in_max_failures) {
            wait = std::max<std::int64_t>(1, std::stoll(std::string(failures.get(0, 1))) + 1);
            return std::nullopt;
        }
        auto code = domain::CheckInCode::normalize(typed);
        std::optional<db::Result> rows;
        if (code)
            rows.emplace(tx.exec(
                "SELECT id::text, status::text, starts_at - $3::interval <= $5::timestamptz, "
                "starts_at + $4::interval >= $5::timestamptz, service_id::text, "
                "citizen_language, vg_time(starts_at) FROM appointments WHERE site_id = $1 "
                "AND check_in_code = $2 AND status IN ('booked', 'checked_in', 'in_call')",
                {site_id, *code, minutes(options.check_in_opens_before),
                 minutes(options.check_in_closes_after), now}));
        if (!rows || rows->rows() == 0) {
            // Committed with the count: the refusal must still count against the booth.
            tx.exec(
                "INSERT INTO check_in_attempts (booth_id, at, succeeded) VALUES ($1, $2, false)",
                {booth.id, now});
            return std::nullopt;
        }
        return Found{std::string(rows->get(0, 0)), std::string(rows->get(0, 1)),
                     std::string(rows->get(0, 4)), std::string(rows->get(0, 5)),
                     std::string(rows->get(0, 6)), rows->get(0, 2) == "t",
                     rows->get(0, 3) == "t"};
    });
    if (wait > 0) {
        auto entry = refused(BoothRefusal::TooManyWrongCodes);
        entry.retry_after_seconds = wait;
        return entry;
    }
    if (!found) return refused(BoothRefusal::UnknownCode);
    if (found->status != "booked") return refused(BoothRefusal::AlreadyCheckedIn);
    if (!found->open) return refused(BoothRefusal::TooEarly);
    if (!found->not_late) return refused(BoothRefusal::TooLate);
    return db.transaction([&](db::Connection& tx) {
        if (busy(tx, booth.id)) return refused(BoothRefusal::Busy);
        auto updated = tx.exec(
            "UPDATE appointments SET status = 'checked_in', checked_in_at = $2, "
            "version = version + 1, updated_at = $2 WHERE id = $1 AND status = 'booked' "
            "RETURNING id",
            {found->id, now});
        if (updated.rows() == 0) return refused(BoothRefusal::AlreadyCheckedIn);
        auto entry = tx.exec(
            "INSERT INTO queue_entries (site_id, booth_id, kind, appointment_id, service_id, "
            "language, enqueued_at, due_at) VALUES ($1, $2, 'appointment', $3, $4, $5, $6, $7) "
            "RETURNING id::text",
            {site_id, booth.id, found->id, found->service_id, found->language, now,
             found->starts_at});
        std::string entry_id(entry.get(0, 0));
        tx.exec("INSERT INTO check_in_attempts (booth_id, at, succeeded) VALUES ($1, $2, true)",
                {booth.id, now});
        tx.exec(
            "INSERT INTO appointment_history (appointment_id, action, actor, at) "
            "VALUES ($1, 'checked_in', $2, $3)",
            {found->id, booth.actor(), now});
        DomainEvents::audit(tx, now, booth, address, "appointment.check_in", "appointment",
                            found->id, json{{"queue_entry_id", entry_id}}.dump());
        DomainEvents::emit(tx, now, "queue.changed", site_id, std::nullopt, booth.id, entry_id);
        return entered(tx, now, entry_id);
    });
}

BoothEntry BoothQueue::walk_in(db::Connection& db, const std::string& now, const Principal& booth,
                               const std::string& address, const std::string& service_id,
                               const std::string& language) {
    auto service = db.exec("SELECT walk_in_allowed FROM services WHERE id = $1", {service_id});
    if (service.rows() == 0) return refused(BoothRefusal::NoSuchService);
    if (service.get(0, 0) != "t") return refused(BoothRefusal::AppointmentsOnly);
    const auto& site_id = booth.site_ids.at(0);
    return db.transaction([&](db::Connection& tx) {
        if (busy(tx, booth.id)) return refused(BoothRefusal::Busy);
        auto entry = tx.exec(
            "INSERT INTO queue_entries (site_id, booth_id, kind, service_id, language, "
            "enqueued_at) VALUES ($1, $2, 'walk_in', $3, $4, $5) RETURNING id::text",
            {site_id, booth.id, service_id, language, now});
        std::string entry_id(entry.get(0, 0));
        DomainEvents::audit(tx, now, booth, address, "queue.walk_in", "queue_entry", entry_id);
        DomainEvents::emit(tx, now, "queue.changed", site_id, std::nullopt, booth.id, entry_id);
        return entered(tx, now, entry_id);
    });
}

void BoothQueue::leave(db::Connection& db, const std::string& now, const Principal& booth,
                       const std::string& address) {
    db.transaction([&](db::Connection& tx) {
        // A checked-in appointment whose citizen leaves before the call is a no-show.
        auto entry = tx.exec(
            "SELECT id::text, appointment_id::text FROM queue_entries WHERE booth_id = $1 "
            "AND state IN ('waiting', 'offered') FOR UPDATE",
            {booth.id});
        if (entry.rows() == 0) return;
        Queue::abandon_at_booth(tx, now, booth.id);
        if (!entry.is_null(0, 1)) {
            std::string appointment_id(entry.get(0, 1));
            tx.exec(
                "UPDATE appointments SET status = 'no_show', no_show_at = $2, "
                "version = version + 1, updated_at = $2 WHERE id = $1 AND status = 'checked_in'",
                {appointment_id, now});
            tx.exec(
                "INSERT INTO appointment_history (appointment_id, action, actor, at) "
                "VALUES ($1, 'left_queue', $2, $3)",
                {appointment_id, booth.actor(), now});
        }
        DomainEvents::audit(tx, now, booth, address, "queue.abandon", "queue_entry",
                            std::string(entry.get(0, 0)));
    });
}

}  // namespace vg::desk
