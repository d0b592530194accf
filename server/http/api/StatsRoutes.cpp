// Daily figures of a site, from what was recorded: appointments, queue entries, call sessions.
#include "desk/DailyStats.hpp"
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
    auto figures = desk::DailyStats::of_day(request.db, request.principal, *site_id, *date);
    if (figures.refusal == desk::StatsRefusal::NoSuchSite)
        throw Problem(422, "Some parameters are invalid.", {{"site_id", "names no site"}});
    if (figures.refusal == desk::StatsRefusal::OtherSite)
        Auth::require_site(request.principal, *site_id);
    return json_response(200, figures.json);
}

}  // namespace

void add_stats_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "GET", "/stats/daily", Role::Supervisor | Role::Admin, daily);
}

}  // namespace vg::http::api
