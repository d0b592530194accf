// Daily figures of a site, from what was recorded: appointments, queue entries, call sessions.
#include "domain/TimeFormat.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/Auth.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

Response daily(ApiRequest& request) {
    std::vector<FieldError> errors;
    auto site_id = request.http.query_param("site_id");
    if (!site_id || !domain::Validation::is_uuid(*site_id))
        errors.push_back({"site_id", "is required and must be a UUID"});
    auto date = request.http.query_param("date");
    if (!date || !domain::TimeFormat::parse_date(*date))
        errors.push_back({"date", "is required and must be a date YYYY-MM-DD"});
    if (!errors.empty()) throw Problem(422, "Some parameters are invalid.", errors);
    if (request.db.exec("SELECT 1 FROM sites WHERE id = $1", {*site_id}).rows() == 0)
        throw Problem(422, "Some parameters are invalid.", {{"site_id", "names no site"}});
    Auth::require_site(request.principal, *site_id);
    // The day is the site's local day: 23 or 25 hours long on daylight-saving changes.
    auto rows = request.db.exec(
        "WITH day AS (SELECT $2::date::timestamp AT TIME ZONE s.timezone AS from_t, "
        "                    ($2::date + 1)::timestamp AT TIME ZONE s.timezone AS to_t "
        "             FROM sites s WHERE s.id = $1),"
        " entries AS (SELECT q.* FROM queue_entries q, day WHERE q.site_id = $1 "
        "             AND q.enqueued_at >= day.from_t AND q.enqueued_at < day.to_t),"
        " waits AS (SELECT extract(epoch FROM accepted_at - enqueued_at) AS w FROM entries "
        "           WHERE accepted_at IS NOT NULL),"
        " booked AS (SELECT a.* FROM appointments a, day WHERE a.site_id = $1 "
        "            AND a.starts_at >= day.from_t AND a.starts_at < day.to_t),"
        " calls AS (SELECT c.* FROM call_sessions c, day WHERE c.site_id = $1 "
        "           AND c.started_at >= day.from_t AND c.started_at < day.to_t) "
        "SELECT jsonb_build_object('site_id', $1::uuid, 'date', $2::date,"
        " 'appointments', (SELECT count(*) FROM booked WHERE status <> 'cancelled'),"
        " 'cancelled', (SELECT count(*) FROM booked WHERE status = 'cancelled'),"
        " 'walk_ins', (SELECT count(*) FROM entries WHERE kind = 'walk_in'),"
        " 'served', (SELECT count(*) FROM calls WHERE outcome = 'served'),"
        " 'no_shows', (SELECT count(*) FROM booked WHERE status = 'no_show'),"
        " 'abandoned', (SELECT count(*) FROM entries WHERE state = 'abandoned'),"
        " 'avg_wait_seconds', (SELECT round(avg(w)) FROM waits),"
        " 'p90_wait_seconds', (SELECT round(percentile_cont(0.9) WITHIN GROUP (ORDER BY w)) "
        "                      FROM waits),"
        " 'avg_service_seconds', (SELECT round(avg(extract(epoch FROM ended_at - started_at))) "
        "                         FROM calls WHERE ended_at IS NOT NULL))::text",
        {*site_id, *date});
    return json_response(200, std::string(rows.get(0, 0)));
}

}  // namespace

void add_stats_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "GET", "/stats/daily", Role::Supervisor | Role::Admin, daily);
}

}  // namespace vg::http::api
