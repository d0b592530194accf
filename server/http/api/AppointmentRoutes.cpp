// Slots and appointments: book (Idempotency-Key), read, reschedule (If-Match), cancel.
#include "common/Secret.hpp"
#include "desk/Appointments.hpp"
#include "desk/LeastData.hpp"
#include "desk/Scheduling.hpp"
#include "domain/CheckInCode.hpp"
#include "domain/TimeFormat.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/AppointmentRequest.hpp"
#include "http/api/Auth.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Paging.hpp"
#include "http/api/Preconditions.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using domain::TimeFormat;
using domain::Validation;
using nlohmann::json;

Problem invalid(std::string field, std::string message) {
    return Problem(422, "Some fields are invalid.", {{std::move(field), std::move(message)}});
}

desk::Actor actor_of(const ApiRequest& request) {
    return desk::Actor{request.principal.kind_name(), request.principal.id,
                       request.http.client_address};
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
    auto starts_at =
        AppointmentRequest::bookable_start(request, fields, fields.text("starts_at", true, 40));
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
        AppointmentRequest::refuse_unless_placed(db, *site_id, starts_at, booking.outcome);
        auto response = json_response(201, booking.json);
        response.headers.emplace_back("ETag", AppointmentRequest::etag(booking.version));
        response.headers.emplace_back("Location", "/api/v1/appointments/" + booking.id);
        return std::pair{response, booking.version};
    };
    return desk::Appointments::with_placement_retries([&]() {
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
                {principal, key, response.body, AppointmentRequest::etag(version)});
            return response;
        });
    });
}

// The appointment row (locked when for_update), 404 when absent, 403 outside the caller's sites.
desk::AppointmentRow load(ApiRequest& request, const std::string& id, bool for_update) {
    // An agent who is not serving it reads it without the citizen's contact and code (least data).
    auto row = desk::Appointments::load(request.db, id, for_update,
                                        desk::LeastData::plain_agent(request.principal));
    if (!row) throw Problem(404, "There is no such appointment.");
    Auth::require_site(request.principal, row->site_id);
    return *row;
}

Response get_appointment(ApiRequest& request) {
    auto row = load(request, request.id("id"), false);
    desk::LeastData::audit_reads(request.db, request.now, request.principal,
                                 request.http.client_address, "GET /appointments/{id}", {row.id});
    return AppointmentRequest::with_etag(200, row.json, row.version);
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
    desk::LeastData::audit_reads(request.db, request.now, request.principal,
                                 request.http.client_address, "GET /appointments", read);
    return json_response(200, Paging::answer("appointments", rows, page, 1));
}

Response reschedule(ApiRequest& request) {
    auto id = request.id("id");
    return AppointmentRequest::move(
        request, {[&] { return load(request, id, true); },
                  [&](const desk::AppointmentRow&) { return actor_of(request); },
                  [](db::Connection&, const desk::AppointmentRow&,
                     const desk::AppointmentChange& moved) { return moved.json; },
                  "Only a booked appointment can be rescheduled."});
}

Response cancel(ApiRequest& request) {
    auto id = request.id("id");
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"reason"});
    auto reason = fields.text("reason", true, 500);
    fields.finish();
    return request.db.transaction([&](db::Connection& db) {
        auto current = load(request, id, true);
        AppointmentRequest::check_if_match(request, current.version, false);
        if (current.status != "booked" && current.status != "checked_in")
            throw Problem(
                409, "This appointment is " + current.status + ": it can no longer be cancelled.");
        auto cancelled =
            desk::Appointments::cancel(db, current, *reason, actor_of(request), request.now);
        return AppointmentRequest::with_etag(200, cancelled.json, cancelled.version);
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
