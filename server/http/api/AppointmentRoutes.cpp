// Slots and appointments: book (Idempotency-Key), read, reschedule (If-Match), cancel.
#include "common/Secret.hpp"
#include "desk/LeastData.hpp"
#include "desk/Queue.hpp"
#include "desk/Scheduling.hpp"
#include "domain/CheckInCode.hpp"
#include "domain/TimeFormat.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/Auth.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Paging.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using domain::TimeFormat;
using domain::Validation;
using nlohmann::json;

constexpr int kPlacementAttempts = 6;

Problem invalid(std::string field, std::string message) {
    return Problem(422, "Some fields are invalid.", {{std::move(field), std::move(message)}});
}

std::string etag(std::string_view version) {
    // Appended piece by piece: g++ 12 at -O3 warns falsely (-Wrestrict) on "\"" + string.
    std::string tag;
    tag.reserve(version.size() + 2);
    tag.append(1, '"').append(version).append(1, '"');
    return tag;
}

// A starts_at that can be booked: a whole minute, in the future, within the horizon.
std::string bookable_start(ApiRequest& request, JsonFields& fields,
                           const std::optional<std::string>& text) {
    if (!text) return {};
    auto instant = TimeFormat::parse_instant(*text);
    if (!instant) {
        fields.add_error("starts_at", "must be an RFC 3339 time such as 2026-12-01T14:30:00Z");
        return {};
    }
    using namespace std::chrono;
    if (instant->time_since_epoch() % minutes{1} != microseconds{0}) {
        fields.add_error("starts_at", "is not the start of a slot");
        return {};
    }
    if (*instant <= request.now_instant) {
        fields.add_error("starts_at", "must be in the future");
        return {};
    }
    if (*instant > request.now_instant + days{request.ctx.options.booking_horizon_days}) {
        fields.add_error("starts_at", "is too far ahead");
        return {};
    }
    return TimeFormat::format_instant(*instant);
}

void refuse_unless_placed(desk::Placement::Outcome outcome) {
    if (outcome == desk::Placement::Outcome::NotASlot)
        throw invalid("starts_at", "is not the start of a slot of this site and service");
    if (outcome == desk::Placement::Outcome::Full)
        throw Problem(409, "No booth or no qualified agent is free at this time.");
}

desk::Placement placed_or_refused(ApiRequest& request, const std::string& site_id,
                                  const std::string& service_id, const std::string& starts_at,
                                  const std::string& language,
                                  const std::optional<std::string>& ignore = std::nullopt,
                                  const std::optional<std::string>& agent = std::nullopt,
                                  const std::optional<std::string>& booth = std::nullopt) {
    auto placement = desk::Scheduling::place(request.db, site_id, service_id, starts_at, language,
                                             ignore, agent, booth);
    refuse_unless_placed(placement.outcome);
    return placement;
}

// Changes to the bookings of one site take turns (see vg_book in
// migrations/0003_booking.sql, which takes the same turn for a new booking). A
// reschedule holds it until its commit.
void lock_site_bookings(db::Connection& db, const std::string& site_id) {
    db.exec("SELECT pg_advisory_xact_lock(hashtextextended('booking:' || $1::uuid::text, 0))",
            {site_id});
}

// Runs one attempt of a placement transaction again when a concurrent booking took the booth or
// agent it chose (23P01: one of the same site that had not committed yet when this one chose, or
// an agent booked at another site at the same moment), a deadlock was broken (40P01) or the
// check-in code it drew was taken (23505): the next attempt sees that booking and chooses again,
// or finds the slot full.
template <typename Fn>
Response with_retries(Fn&& attempt) {
    for (int i = 1;; ++i) {
        try {
            return attempt();
        } catch (const db::Error& e) {
            bool retry =
                e.sqlstate() == "23P01" || e.sqlstate() == "40P01" ||
                (e.sqlstate() == "23505" && e.constraint() == "appointments_check_in_code");
            if (!retry || i == kPlacementAttempts) throw;
        }
    }
}

Response appointment_response(int status, const db::Result& rows, int json_column,
                              int version_column) {
    auto response = json_response(status, std::string(rows.get(0, json_column)));
    response.headers.emplace_back("ETag", etag(rows.get(0, version_column)));
    return response;
}

Response slots(ApiRequest& request) {
    auto site_id = request.id("id");
    if (request.db.exec("SELECT 1 FROM sites WHERE id = $1", {site_id}).rows() == 0)
        throw Problem(404, "There is no such site.");
    Auth::require_site(request.principal, site_id);
    std::vector<FieldError> errors;
    auto service_id = request.http.query_param("service_id");
    if (!service_id || !Validation::is_uuid(*service_id))
        errors.push_back({"service_id", "is required and must be a UUID"});
    auto date = request.http.query_param("date");
    if (!date || !TimeFormat::parse_date(*date))
        errors.push_back({"date", "is required and must be a date YYYY-MM-DD"});
    auto language = request.http.query_param("language");
    if (language && !Validation::is_language(*language))
        errors.push_back({"language", "must be a language code such as fr"});
    if (errors.empty() &&
        request.db.exec("SELECT 1 FROM services WHERE id = $1", {*service_id}).rows() == 0)
        errors.push_back({"service_id", "names no service"});
    if (!errors.empty()) throw Problem(422, "Some parameters are invalid.", errors);
    return json_response(200, desk::Scheduling::slots_json(request.db, site_id, *service_id, *date,
                                                           request.now, language));
}

Response book(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"site_id", "service_id", "starts_at", "citizen"});
    auto site_id = fields.uuid("site_id", true);
    auto service_id = fields.uuid("service_id", true);
    auto starts_at = bookable_start(request, fields, fields.text("starts_at", true, 40));
    std::optional<std::string> name, language, phone, email;
    if (const json* citizen = fields.object("citizen", true)) {
        JsonFields c(fields, "citizen", *citizen, {"name", "language", "phone", "email"});
        name = c.text("name", true, 200);
        language = c.text("language", true, 3, 2);
        if (language && !Validation::is_language(*language))
            c.add_error("citizen.language", "must be a language code such as fr");
        phone = c.text("phone", false, 32);
        if (phone && phone->find_first_not_of("0123456789+-() .") != std::string::npos)
            c.add_error("citizen.phone", "must be a telephone number");
        email = c.text("email", false, 254);
        if (email && !Validation::is_email(*email))
            c.add_error("citizen.email", "must be an address");
    }
    auto key = request.http.header("Idempotency-Key");
    if (!key.empty() && (key.size() > 255 || !Validation::is_single_line(key)))
        fields.add_error("Idempotency-Key", "must be 1 to 255 printable characters");
    fields.finish();
    // Both checks in one round trip; the answers keep their order (site, its scope, service).
    auto known = request.db.exec(
        "SELECT EXISTS (SELECT 1 FROM sites WHERE id = $1), "
        "EXISTS (SELECT 1 FROM services WHERE id = $2)",
        {*site_id, *service_id});
    if (known.get(0, 0) != "t") throw invalid("site_id", "names no site");
    Auth::require_site(request.principal, *site_id);
    if (known.get(0, 1) != "t") throw invalid("service_id", "names no service");
    const std::string principal = request.principal.actor();
    const std::string request_hash =
        common::secret::token_hash("POST /appointments\n" + request.http.body);

    // The booking itself is one statement (with its audit and domain events).
    auto book_once = [&](db::Connection& db) {
        auto booking = desk::Scheduling::book(
            db, *site_id, *service_id, starts_at, desk::Citizen{*name, *language, phone, email},
            request.principal, request.http.client_address, request.now);
        refuse_unless_placed(booking.outcome);
        auto response = json_response(201, booking.json);
        response.headers.emplace_back("ETag", etag(booking.version));
        response.headers.emplace_back("Location", "/api/v1/appointments/" + booking.id);
        return std::pair{response, booking.version};
    };
    return with_retries([&]() {
        // Without a key the statement is its own transaction: no BEGIN and COMMIT round trips.
        if (key.empty()) return book_once(request.db).first;
        return request.db.transaction([&](db::Connection& db) -> Response {
            // A concurrent request with the same key waits here until the first commits.
            auto fresh = db.exec(
                "INSERT INTO idempotency_keys (principal, key, request_hash, created_at) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1",
                {principal, key, request_hash, request.now});
            if (fresh.rows() == 0) {
                auto first = db.exec(
                    "SELECT request_hash, response_status, response_body, response_etag "
                    "FROM idempotency_keys WHERE principal = $1 AND key = $2",
                    {principal, key});
                if (first.get(0, 0) != request_hash)
                    throw Problem(422, "This Idempotency-Key was used for a different request.");
                auto replay = json_response(std::stoi(std::string(first.get(0, 1))),
                                            std::string(first.get(0, 2)));
                replay.headers.emplace_back("ETag", std::string(first.get(0, 3)));
                replay.headers.emplace_back("Idempotent-Replayed", "true");
                return replay;
            }
            auto [response, version] = book_once(db);
            db.exec(
                "UPDATE idempotency_keys SET response_status = 201, response_body = $3, "
                "response_etag = $4 WHERE principal = $1 AND key = $2",
                {principal, key, response.body, etag(version)});
            return response;
        });
    });
}

// The appointment row (locked when for_update), 404 when absent, 403 outside the caller's sites.
db::Result load(ApiRequest& request, const std::string& id, bool for_update) {
    auto rows = request.db.exec(
        std::string("SELECT a.id::text, vg_appointment_seen_by(a, $2)::text, a.version, "
                    "a.site_id::text, a.service_id::text, a.status::text, a.citizen_language, "
                    "a.agent_id::text, a.booth_id::text, vg_time(a.starts_at) "
                    "FROM appointments a WHERE a.id = $1") +
            (for_update ? " FOR UPDATE" : ""),
        {id, desk::LeastData::plain_agent(request.principal)});
    if (rows.rows() == 0) throw Problem(404, "There is no such appointment.");
    Auth::require_site(request.principal, std::string(rows.get(0, 3)));
    return rows;
}

// Problem 412 when an If-Match header names another version; required says a missing one is
// 428.
void check_if_match(const ApiRequest& request, std::string_view version, bool required) {
    auto header = request.http.header("If-Match");
    if (header.empty()) {
        if (required) throw Problem(428, "This change needs an If-Match header with the ETag.");
        return;
    }
    std::string_view rest = header;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        auto item = rest.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item == "*" || item == etag(version) || item == "W/" + etag(version)) return;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    throw Problem(412, "The appointment changed since it was read; read it again.");
}

Response get_appointment(ApiRequest& request) {
    auto rows = load(request, request.id("id"), false);
    desk::LeastData::audit_reads(request.db, request.now, request.principal, request.http.client_address,
                                 "GET /appointments/{id}", {std::string(rows.get(0, 0))});
    return appointment_response(200, rows, 1, 2);
}

bool is_cursor_key(std::string_view key) {
    auto bar = key.find('|');
    return bar != std::string_view::npos && TimeFormat::parse_instant(key.substr(0, bar)) &&
           Validation::is_uuid(key.substr(bar + 1));
}

Response list_appointments(ApiRequest& request) {
    auto page = Paging::read(request.http, is_cursor_key);
    std::vector<FieldError> errors;
    auto site_id = request.http.query_param("site_id");
    if (site_id && !Validation::is_uuid(*site_id)) errors.push_back({"site_id", "must be a UUID"});
    auto date = request.http.query_param("date");
    if (date && !TimeFormat::parse_date(*date))
        errors.push_back({"date", "must be a date YYYY-MM-DD"});
    if (date && !site_id) errors.push_back({"date", "needs site_id (dates are the site's)"});
    auto status = request.http.query_param("status");
    if (status && *status != "booked" && *status != "checked_in" && *status != "in_call" &&
        *status != "completed" && *status != "cancelled" && *status != "no_show")
        errors.push_back({"status", "must be an appointment status"});
    if (!errors.empty()) throw Problem(422, "Some parameters are invalid.", errors);
    if (site_id) Auth::require_site(request.principal, *site_id);
    std::optional<std::string> after_time, after_id;
    if (page.after) {
        auto bar = page.after->find('|');
        after_time = page.after->substr(0, bar);
        after_id = page.after->substr(bar + 1);
    }
    auto rows = request.db.exec(
        "SELECT vg_appointment_seen_by(a, $8)::text, to_char(a.starts_at AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || '|' || a.id FROM appointments a "
        "WHERE ($1::uuid IS NULL OR a.site_id = $1) AND ($2::uuid[] IS NULL OR a.site_id = "
        "ANY($2)) "
        "AND ($3::appointment_status IS NULL OR a.status = $3::appointment_status) "
        "AND ($4::date IS NULL OR (a.starts_at >= $4::date::timestamp AT TIME ZONE "
        "    (SELECT timezone FROM sites WHERE id = $1) AND a.starts_at < ($4::date + "
        "1)::timestamp "
        "    AT TIME ZONE (SELECT timezone FROM sites WHERE id = $1))) "
        "AND ($5::timestamptz IS NULL OR (a.starts_at, a.id) > ($5::timestamptz, $6::uuid)) "
        "ORDER BY a.starts_at, a.id LIMIT $7",
        {site_id, Paging::site_scope(request.principal), status, date, after_time, after_id,
         std::to_string(page.limit + 1), desk::LeastData::plain_agent(request.principal)});
    std::vector<std::string> read;
    for (int i = 0; i < rows.rows() && i < page.limit; ++i) {
        auto key = rows.get(i, 1);
        read.emplace_back(key.substr(key.find('|') + 1));
    }
    desk::LeastData::audit_reads(request.db, request.now, request.principal, request.http.client_address,
                                 "GET /appointments", read);
    return json_response(200, Paging::answer("appointments", rows, page, 1));
}

Response reschedule(ApiRequest& request) {
    auto id = request.id("id");
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"starts_at"});
    auto starts_at = bookable_start(request, fields, fields.text("starts_at", true, 40));
    fields.finish();
    return with_retries([&]() {
        return request.db.transaction([&](db::Connection& db) {
            auto current = load(request, id, true);
            check_if_match(request, current.get(0, 2), true);
            if (current.get(0, 5) != "booked")
                throw Problem(409, "Only a booked appointment can be rescheduled.");
            std::string site_id(current.get(0, 3)), old_agent(current.get(0, 7)),
                old_booth(current.get(0, 8)), old_start(current.get(0, 9));
            lock_site_bookings(db, site_id);
            auto placement =
                placed_or_refused(request, site_id, std::string(current.get(0, 4)), starts_at,
                                  std::string(current.get(0, 6)), id, old_agent, old_booth);
            auto rows = db.exec(
                "UPDATE appointments SET starts_at = $2, ends_at = $3, agent_id = $4, "
                "booth_id = $5, version = version + 1, updated_at = $6 WHERE id = $1 "
                "RETURNING id::text, vg_appointment_json(appointments)::text, version",
                {id, starts_at, placement.ends_at, placement.agent_id, placement.booth_id,
                 request.now});
            db.exec(
                "INSERT INTO appointment_history (appointment_id, action, actor, at, "
                "old_starts_at, new_starts_at, old_booth_id, new_booth_id, old_agent_id, "
                "new_agent_id) VALUES ($1, 'rescheduled', $2, $3, $4, $5, $6, $7, $8, $9)",
                {id, request.principal.actor(), request.now, old_start, starts_at, old_booth,
                 placement.booth_id, old_agent, placement.agent_id});
            request.audit("appointment.reschedule", "appointment", id,
                          json{{"from", old_start}, {"to", starts_at}}.dump());
            request.event("appointment.changed", site_id, placement.agent_id, std::nullopt, id);
            return appointment_response(200, rows, 1, 2);
        });
    });
}

Response cancel(ApiRequest& request) {
    auto id = request.id("id");
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"reason"});
    auto reason = fields.text("reason", true, 500);
    fields.finish();
    return request.db.transaction([&](db::Connection& db) {
        auto current = load(request, id, true);
        check_if_match(request, current.get(0, 2), false);
        auto status = current.get(0, 5);
        if (status != "booked" && status != "checked_in")
            throw Problem(409, "This appointment is " + std::string(status) +
                                   ": it can no longer be cancelled.");
        std::string site_id(current.get(0, 3));
        if (status == "checked_in") {
            // The citizen is waiting at the booth: their queue entry ends with the appointment.
            auto booth = db.exec(
                "SELECT booth_id::text FROM queue_entries WHERE appointment_id = $1 "
                "AND state IN ('waiting', 'offered')",
                {id});
            if (booth.rows() == 1)
                desk::Queue::abandon_at_booth(db, request.now, std::string(booth.get(0, 0)));
        }
        auto rows = db.exec(
            "UPDATE appointments SET status = 'cancelled', cancel_reason = $2, cancelled_by = $3, "
            "cancelled_at = $4, version = version + 1, updated_at = $4 WHERE id = $1 "
            "RETURNING id::text, vg_appointment_json(appointments)::text, version",
            {id, *reason, request.principal.actor(), request.now});
        db.exec(
            "INSERT INTO appointment_history (appointment_id, action, actor, at, details) "
            "VALUES ($1, 'cancelled', $2, $3, $4::jsonb)",
            {id, request.principal.actor(), request.now, json{{"reason", *reason}}.dump()});
        request.audit("appointment.cancel", "appointment", id, json{{"reason", *reason}}.dump());
        request.event("appointment.changed", site_id, std::string(current.get(0, 7)), std::nullopt,
                      id);
        return appointment_response(200, rows, 1, 2);
    });
}

}  // namespace

void add_appointment_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "GET", "/sites/{id}/slots", Role::Admin | Role::Scheduler, slots);
    serve(router, ctx, "POST", "/appointments", Role::Admin | Role::Scheduler, book);
    // Agents see the appointments of their own sites (site_scope): "today's appointments".
    serve(router, ctx, "GET", "/appointments",
          Role::Admin | Role::Scheduler | Role::Supervisor | Role::Agent, list_appointments);
    // Like the list: an agent reads the appointments of the sites they cover.
    serve(router, ctx, "GET", "/appointments/{id}",
          Role::Admin | Role::Scheduler | Role::Supervisor | Role::Agent, get_appointment);
    serve(router, ctx, "PATCH", "/appointments/{id}", Role::Admin | Role::Scheduler, reschedule);
    serve(router, ctx, "POST", "/appointments/{id}/cancel", Role::Admin | Role::Scheduler, cancel);
}

}  // namespace vg::http::api
