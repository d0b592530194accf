// What a booth does: check in by code, walk in, leave, and ask where its citizen stands. A booth
// never sees citizen data: answers name queue entries and sessions, nothing else.
#include "desk/Queue.hpp"
#include "domain/CheckInCode.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/ClosedSite.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using nlohmann::json;

const std::string& booth_site(const ApiRequest& request) {
    return request.principal.site_ids.at(0);
}

std::string place_json(db::Connection& db, const std::string& now, const std::string& entry_id) {
    auto place = desk::Queue::place(db, now, entry_id);
    return json{{"queue_entry_id", entry_id},
                {"position", place.position},
                {"estimated_wait_seconds", place.estimated_wait_seconds}}
        .dump();
}

void refuse_if_busy(db::Connection& db, const std::string& booth_id) {
    if (db.exec("SELECT 1 FROM queue_entries WHERE booth_id = $1 "
                "AND state IN ('waiting', 'offered', 'accepted')",
                {booth_id})
            .rows() > 0)
        throw Problem(409, "A citizen is already waiting or in a call at this booth.");
}

Response check_in(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"code"});
    auto typed = fields.text("code", true, 32);
    fields.finish();
    ClosedSite::refuse_arrival(request.db, booth_site(request), request.now);
    const auto& booth_id = request.principal.id;
    const auto& options = request.ctx.options;
    // Wrong codes are counted per booth; beyond the limit the booth waits for the window to pass.
    // Counted, looked up and recorded under a lock of the booth's own: guesses sent at once take
    // turns, so no more than the limit are ever answered.
    auto found = request.db.transaction([&](db::Connection& db) -> std::optional<db::Result> {
        db.exec("SELECT pg_advisory_xact_lock(hashtextextended('check_in:' || $1, 0))", {booth_id});
        auto failures = db.exec(
            "SELECT count(*), extract(epoch FROM min(at) + $3::interval - $2::timestamptz)::bigint "
            "FROM check_in_attempts WHERE booth_id = $1 AND NOT succeeded "
            "AND at > $2::timestamptz - $3::interval",
            {booth_id, request.now,
             std::to_string(options.check_in_failure_window.count()) + " minutes"});
        if (std::stoi(std::string(failures.get(0, 0))) >= options.check_in_max_failures) {
            auto wait = std::max<long long>(1, std::stoll(std::string(failures.get(0, 1))) + 1);
            throw Problem(429, "Too many wrong codes; try again later.")
                .with_header("Retry-After", std::to_string(wait));
        }
        auto code = domain::CheckInCode::normalize(*typed);
        std::optional<db::Result> appointment;
        if (code)
            appointment.emplace(db.exec(
                "SELECT id::text, status::text, starts_at - $3::interval <= $5::timestamptz, "
                "starts_at + $4::interval >= $5::timestamptz, service_id::text, "
                "citizen_language, vg_time(starts_at) FROM appointments WHERE site_id = $1 "
                "AND check_in_code = $2 AND status IN ('booked', 'checked_in', 'in_call')",
                {booth_site(request), *code,
                 std::to_string(options.check_in_opens_before.count()) + " minutes",
                 std::to_string(options.check_in_closes_after.count()) + " minutes", request.now}));
        if (!appointment || appointment->rows() == 0) {
            // Committed with the count: the refusal must still count against the booth.
            db.exec(
                "INSERT INTO check_in_attempts (booth_id, at, succeeded) VALUES ($1, $2, false)",
                {booth_id, request.now});
            return std::nullopt;
        }
        return appointment;
    });
    if (!found) throw Problem(404, "No appointment here has this code.");
    std::string appointment_id(found->get(0, 0));
    if (found->get(0, 1) != "booked") throw Problem(409, "This appointment is already checked in.");
    if (found->get(0, 2) != "t")
        throw Problem(409, "It is too early to check in for this appointment.");
    if (found->get(0, 3) != "t") throw Problem(409, "It is too late to check in: see the counter.");
    return request.db.transaction([&](db::Connection& db) {
        refuse_if_busy(db, booth_id);
        auto updated = db.exec(
            "UPDATE appointments SET status = 'checked_in', checked_in_at = $2, "
            "version = version + 1, updated_at = $2 WHERE id = $1 AND status = 'booked' "
            "RETURNING id",
            {appointment_id, request.now});
        if (updated.rows() == 0) throw Problem(409, "This appointment is already checked in.");
        auto entry = db.exec(
            "INSERT INTO queue_entries (site_id, booth_id, kind, appointment_id, service_id, "
            "language, enqueued_at, due_at) VALUES ($1, $2, 'appointment', $3, $4, $5, $6, $7) "
            "RETURNING id::text",
            {booth_site(request), booth_id, appointment_id, std::string(found->get(0, 4)),
             std::string(found->get(0, 5)), request.now, std::string(found->get(0, 6))});
        std::string entry_id(entry.get(0, 0));
        db.exec("INSERT INTO check_in_attempts (booth_id, at, succeeded) VALUES ($1, $2, true)",
                {booth_id, request.now});
        db.exec(
            "INSERT INTO appointment_history (appointment_id, action, actor, at) "
            "VALUES ($1, 'checked_in', $2, $3)",
            {appointment_id, request.principal.actor(), request.now});
        request.audit("appointment.check_in", "appointment", appointment_id,
                      json{{"queue_entry_id", entry_id}}.dump());
        request.event("queue.changed", booth_site(request), std::nullopt, booth_id, entry_id);
        return json_response(201, place_json(db, request.now, entry_id));
    });
}

Response walk_in(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"service_id", "language"});
    auto service_id = fields.uuid("service_id", true);
    auto language = fields.text("language", true, 3, 2);
    if (language && !domain::Validation::is_language(*language))
        fields.add_error("language", "must be a language code such as fr");
    fields.finish();
    ClosedSite::refuse_arrival(request.db, booth_site(request), request.now);
    auto service =
        request.db.exec("SELECT walk_in_allowed FROM services WHERE id = $1", {*service_id});
    if (service.rows() == 0)
        throw Problem(422, "Some fields are invalid.", {{"service_id", "names no service"}});
    if (service.get(0, 0) != "t")
        throw Problem(409, "This service takes appointments only, not walk-ins.");
    const auto& booth_id = request.principal.id;
    return request.db.transaction([&](db::Connection& db) {
        refuse_if_busy(db, booth_id);
        auto entry = db.exec(
            "INSERT INTO queue_entries (site_id, booth_id, kind, service_id, language, "
            "enqueued_at) VALUES ($1, $2, 'walk_in', $3, $4, $5) RETURNING id::text",
            {booth_site(request), booth_id, *service_id, *language, request.now});
        std::string entry_id(entry.get(0, 0));
        request.audit("queue.walk_in", "queue_entry", entry_id);
        request.event("queue.changed", booth_site(request), std::nullopt, booth_id, entry_id);
        return json_response(201, place_json(db, request.now, entry_id));
    });
}

Response leave(ApiRequest& request) {
    return request.db.transaction([&](db::Connection& db) {
        // A checked-in appointment whose citizen leaves before the call is a no-show.
        auto entry = db.exec(
            "SELECT id::text, appointment_id::text FROM queue_entries WHERE booth_id = $1 "
            "AND state IN ('waiting', 'offered') FOR UPDATE",
            {request.principal.id});
        if (entry.rows() == 0) return Response::no_content();
        desk::Queue::abandon_at_booth(db, request.now, request.principal.id);
        if (!entry.is_null(0, 1)) {
            std::string appointment_id(entry.get(0, 1));
            db.exec(
                "UPDATE appointments SET status = 'no_show', no_show_at = $2, "
                "version = version + 1, updated_at = $2 WHERE id = $1 AND status = 'checked_in'",
                {appointment_id, request.now});
            db.exec(
                "INSERT INTO appointment_history (appointment_id, action, actor, at) "
                "VALUES ($1, 'left_queue', $2, $3)",
                {appointment_id, request.principal.actor(), request.now});
        }
        request.audit("queue.abandon", "queue_entry", std::string(entry.get(0, 0)));
        return Response::no_content();
    });
}

Response state(ApiRequest& request) {
    auto rows = request.db.exec(
        "SELECT q.id::text, q.state::text, (SELECT c.id::text FROM call_sessions c "
        "WHERE c.queue_entry_id = q.id AND c.ended_at IS NULL) FROM queue_entries q "
        "WHERE q.booth_id = $1 AND q.state IN ('waiting', 'offered', 'accepted')",
        {request.principal.id});
    json answer = {{"state", "idle"}};
    if (rows.rows() == 1) {
        std::string entry_id(rows.get(0, 0));
        if (rows.get(0, 1) == "accepted") {
            answer = {{"state", "in_call"}, {"queue_entry_id", entry_id}};
            if (!rows.is_null(0, 2)) answer["session_id"] = std::string(rows.get(0, 2));
        } else {
            answer = json::parse(place_json(request.db, request.now, entry_id));
            answer["state"] = "waiting";
        }
    }
    return json_response(200, answer.dump());
}

}  // namespace

void add_booth_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "POST", "/booth/check-in", Role::Booth, check_in);
    serve(router, ctx, "POST", "/booth/walk-in", Role::Booth, walk_in);
    serve(router, ctx, "POST", "/booth/leave", Role::Booth, leave);
    serve(router, ctx, "GET", "/booth/state", Role::Booth, state);
}

}  // namespace vg::http::api
