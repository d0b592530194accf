// Opening hours and closures of a site (CONTRACT.md "Added 2026-12-07 / Citizens") and absences
// of its agents: admins write them; the site's staff and schedulers read them, and its booths
// where the site stands now.
#include "desk/AgentAbsences.hpp"
#include "desk/SiteClosures.hpp"
#include "desk/SiteHours.hpp"
#include "domain/TimeFormat.hpp"
#include "http/Problem.hpp"
#include "http/api/Auth.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using domain::TimeFormat;
using nlohmann::json;

constexpr int kMaxRules = 50;        // a few openings a day, seven days
constexpr int kMaxListed = 500;      // upcoming closures or absences shown at once
constexpr int kMaxPeriodDays = 400;  // a year's calendar, not "closed for ever"

// 404 for no such site, 403 for a site the caller does not reach.
void require_site(ApiRequest& request, const std::string& site_id) {
    if (request.db.exec("SELECT 1 FROM sites WHERE id = $1", {site_id}).rows() == 0)
        throw Problem(404, "There is no such site.");
    Auth::require_site(request.principal, site_id);
}

std::vector<desk::WeeklyHours> read_rules(JsonFields& fields) {
    std::vector<desk::WeeklyHours> rules;
    const json* list = fields.array("rules", true, kMaxRules);
    if (!list) return rules;
    for (std::size_t i = 0; i < list->size(); ++i) {
        std::string name = "rules[" + std::to_string(i) + "]";
        if (!(*list)[i].is_object()) {
            fields.add_error(name, "must be an object");
            continue;
        }
        JsonFields item(fields, name, (*list)[i], {"weekday", "open", "close"});
        auto weekday = item.integer("weekday", true, 1, 7);
        auto open_text = item.text("open", true, 5);
        auto close_text = item.text("close", true, 5);
        desk::WeeklyHours hours;
        bool valid = weekday.has_value();
        auto read_time = [&](const char* part, const std::optional<std::string>& text,
                             bool end_of_day, int& minutes) {
            if (!text) return;
            auto parsed = TimeFormat::parse_time_of_day(*text, end_of_day);
            if (parsed)
                minutes = *parsed;
            else
                item.add_error(name + "." + part, end_of_day
                                                      ? "must be a time HH:MM (24:00 for midnight)"
                                                      : "must be a time HH:MM");
            valid = valid && parsed;
        };
        read_time("open", open_text, false, hours.open_minutes);
        read_time("close", close_text, true, hours.close_minutes);
        if (!valid || !open_text || !close_text) continue;
        if (hours.open_minutes >= hours.close_minutes) {
            item.add_error(name + ".close", "must follow open");
            continue;
        }
        hours.weekday = static_cast<int>(*weekday);
        for (const auto& other : rules)
            if (other.weekday == hours.weekday && other.open_minutes < hours.close_minutes &&
                hours.open_minutes < other.close_minutes)
                item.add_error(name, "overlaps another opening of the same day");
        rules.push_back(hours);
    }
    return rules;
}

Response put_hours(ApiRequest& request) {
    auto site_id = request.id("id");
    require_site(request, site_id);
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"rules"});
    auto rules = read_rules(fields);
    fields.finish();
    return request.db.transaction([&](db::Connection& db) {
        db.exec("SELECT 1 FROM sites WHERE id = $1 FOR UPDATE", {site_id});
        auto before = desk::SiteHours::hours_json(db, site_id);
        desk::SiteHours::replace(db, site_id, rules);
        auto after = desk::SiteHours::hours_json(db, site_id);
        request.audit(
            "site.hours", "site", site_id,
            json{{"before", json::parse(before)["rules"]}, {"after", json::parse(after)["rules"]}}
                .dump());
        request.event("site.hours_changed", site_id, std::nullopt, std::nullopt, site_id);
        return json_response(200, after);
    });
}

// An RFC 3339 instant, normalized, or nullopt (the error recorded).
std::optional<std::string> instant(JsonFields& fields, const char* name) {
    auto text = fields.text(name, true, 40);
    if (!text) return std::nullopt;
    auto parsed = TimeFormat::parse_instant(*text);
    if (!parsed) {
        fields.add_error(name, "must be an RFC 3339 time such as 2026-12-24T12:00:00-05:00");
        return std::nullopt;
    }
    return TimeFormat::format_instant(*parsed);
}

// ends_at after starts_at, within kMaxPeriodDays; a closure must also end in the future (one
// in the past would change nothing but the record).
void check_period(const ApiRequest& request, JsonFields& fields,
                  const std::optional<std::string>& starts_at,
                  const std::optional<std::string>& ends_at, bool future) {
    if (!starts_at || !ends_at) return;
    auto from = *TimeFormat::parse_instant(*starts_at);
    auto to = *TimeFormat::parse_instant(*ends_at);
    if (to <= from)
        fields.add_error("ends_at", "must follow starts_at");
    else if (to - from > std::chrono::days{kMaxPeriodDays})
        fields.add_error("ends_at", "must be within 400 days of starts_at");
    else if (future && to <= request.now_instant)
        fields.add_error("ends_at", "is past: a closure is for what is to come");
}

Response create_closure(ApiRequest& request) {
    auto site_id = request.id("id");
    require_site(request, site_id);
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"starts_at", "ends_at", "reason_fr", "reason_en"});
    auto starts_at = instant(fields, "starts_at");
    auto ends_at = instant(fields, "ends_at");
    auto reason_fr = fields.text("reason_fr", true, 200);
    auto reason_en = fields.text("reason_en", true, 200);
    check_period(request, fields, starts_at, ends_at, true);
    fields.finish();
    return request.db.transaction([&](db::Connection& db) {
        auto made =
            desk::SiteClosures::create(db, {site_id, *starts_at, *ends_at, *reason_fr, *reason_en},
                                       request.principal.actor(), request.now);
        auto answer = json::parse(made.json);
        request.audit(
            "site.closure.create", "site_closure", made.id,
            json{{"site_id", site_id}, {"cancelled", answer["cancelled_appointments"].size()}}
                .dump());
        request.event("site.hours_changed", site_id, std::nullopt, std::nullopt, site_id);
        auto response = json_response(201, made.json);
        response.headers.emplace_back("Location", "/api/v1/closures/" + made.id);
        return response;
    });
}

Response list_closures(ApiRequest& request) {
    auto site_id = request.id("id");
    require_site(request, site_id);
    return json_response(
        200, desk::SiteClosures::list_json(request.db, site_id, request.now, kMaxListed));
}

// A DELETE of one row by id: remove gives the owner (site or agent) it had, or nullopt (404).
Response delete_one(
    ApiRequest& request, const char* noun, const char* action, const char* type,
    const char* owner_field,
    const std::function<std::optional<std::string>(db::Connection&, const std::string&)>& remove) {
    auto id = request.id("id");
    return request.db.transaction([&](db::Connection& db) {
        auto owner = remove(db, id);
        if (!owner) throw Problem(404, std::string("There is no such ") + noun + ".");
        request.audit(action, type, id, json{{owner_field, *owner}}.dump());
        // Closures change when the site is open: its booths and consoles read it again.
        if (std::string_view(owner_field) == "site_id")
            request.event("site.hours_changed", *owner, std::nullopt, std::nullopt, *owner);
        return Response::no_content();
    });
}

Response create_absence(ApiRequest& request) {
    auto agent_id = request.id("id");
    if (request.db.exec("SELECT 1 FROM agents WHERE id = $1", {agent_id}).rows() == 0)
        throw Problem(404, "There is no such agent.");
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"starts_at", "ends_at", "reason"});
    auto starts_at = instant(fields, "starts_at");
    auto ends_at = instant(fields, "ends_at");
    auto reason = fields.text("reason", false, 200);
    check_period(request, fields, starts_at, ends_at, false);
    fields.finish();
    return request.db.transaction([&](db::Connection& db) {
        auto absence = json::parse(desk::AgentAbsences::create(
            db, {agent_id, *starts_at, *ends_at, reason}, request.principal.actor(), request.now));
        const std::string id = absence["id"];
        request.audit("agent.absence.create", "agent_absence", id,
                      json{{"agent_id", agent_id}}.dump());
        auto response = json_response(201, absence.dump());
        response.headers.emplace_back("Location", "/api/v1/absences/" + id);
        return response;
    });
}

}  // namespace

void add_hours_routes(Router& router, ApiContext& ctx) {
    const Roles readers = Role::Admin | Role::Scheduler | Role::Supervisor | Role::Agent;
    serve(router, ctx, "PUT", "/sites/{id}/hours", Role::Admin, put_hours);
    serve(router, ctx, "GET", "/sites/{id}/hours", readers | Role::Booth, [](ApiRequest& request) {
        auto site_id = request.id("id");
        require_site(request, site_id);
        return json_response(200, desk::SiteHours::hours_json(request.db, site_id));
    });
    // Where the site stands now: what the booth's closed screen shows.
    serve(router, ctx, "GET", "/sites/{id}/opening", readers | Role::Booth,
          [](ApiRequest& request) {
              auto site_id = request.id("id");
              require_site(request, site_id);
              return json_response(
                  200, desk::SiteHours::opening_json(
                           site_id, desk::SiteHours::opening(request.db, site_id, request.now)));
          });
    serve(router, ctx, "POST", "/sites/{id}/closures", Role::Admin, create_closure);
    serve(router, ctx, "GET", "/sites/{id}/closures", readers, list_closures);
    serve(router, ctx, "DELETE", "/closures/{id}", Role::Admin, [](ApiRequest& request) {
        return delete_one(request, "closure", "site.closure.delete", "site_closure", "site_id",
                          desk::SiteClosures::remove);
    });
    serve(router, ctx, "POST", "/agents/{id}/absences", Role::Admin, create_absence);
    serve(router, ctx, "GET", "/sites/{id}/absences", readers, [](ApiRequest& request) {
        auto site_id = request.id("id");
        require_site(request, site_id);
        return json_response(200, desk::AgentAbsences::list_for_site_json(request.db, site_id,
                                                                          request.now, kMaxListed));
    });
    serve(router, ctx, "DELETE", "/absences/{id}", Role::Admin, [](ApiRequest& request) {
        return delete_one(request, "absence", "agent.absence.delete", "agent_absence", "agent_id",
                          desk::AgentAbsences::remove);
    });
}

}  // namespace vg::http::api
