// Sites and their booths: administration, and enrolment URLs.
#include "common/Secret.hpp"
#include "desk/Queue.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/Auth.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Paging.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using nlohmann::json;

bool is_code(const std::string& s) {
    if (s.empty() || s.size() > 32) return false;
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
    return true;
}

// The site row, 404 when there is none, 403 when the caller does not reach it.
std::string site_json(ApiRequest& request, const std::string& site_id) {
    auto rows =
        request.db.exec("SELECT vg_site_json(s)::text FROM sites s WHERE s.id = $1", {site_id});
    if (rows.rows() == 0) throw Problem(404, "There is no such site.");
    Auth::require_site(request.principal, site_id);
    return std::string(rows.get(0, 0));
}

Response create_site(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"code", "name_fr", "name_en", "timezone"});
    auto code = fields.text("code", true, 32);
    if (code && !is_code(*code)) fields.add_error("code", "must be letters, digits, '_' or '-'");
    auto name_fr = fields.text("name_fr", true, 200);
    auto name_en = fields.text("name_en", true, 200);
    auto timezone = fields.text("timezone", false, 64);
    if (timezone && request.db.exec("SELECT vg_is_timezone($1)", {*timezone}).get(0, 0) != "t") {
        fields.add_error("timezone", "must be an IANA time zone name such as America/Toronto");
    }
    fields.finish();
    return request.db.transaction([&](db::Connection& db) {
        auto rows = db.exec(
            "INSERT INTO sites (code, name_fr, name_en, timezone, created_at, updated_at) "
            "VALUES ($1, $2, $3, coalesce($4, 'America/Toronto'), $5, $5) "
            "ON CONFLICT (code) DO NOTHING RETURNING id::text, vg_site_json(sites)::text",
            {*code, *name_fr, *name_en, timezone, request.now});
        if (rows.rows() == 0) throw Problem(409, "A site with this code exists already.");
        std::string id(rows.get(0, 0));
        request.audit("site.create", "site", id, json{{"code", *code}}.dump());
        auto response = json_response(201, std::string(rows.get(0, 1)));
        response.headers.emplace_back("Location", "/api/v1/sites/" + id);
        return response;
    });
}

Response list_sites(ApiRequest& request) {
    auto page = Paging::read(request.http, domain::Validation::is_uuid);
    auto rows = request.db.exec(
        "SELECT vg_site_json(s)::text, s.id::text FROM sites s "
        "WHERE ($1::uuid IS NULL OR s.id > $1::uuid) AND ($2::uuid[] IS NULL OR s.id = ANY($2)) "
        "ORDER BY s.id LIMIT $3",
        {page.after, Paging::site_scope(request.principal), std::to_string(page.limit + 1)});
    return json_response(200, Paging::answer("sites", rows, page, 1));
}

Response create_booth(ApiRequest& request) {
    auto site_id = request.id("id");
    site_json(request, site_id);
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"label"});
    auto label = fields.text("label", true, 200);
    fields.finish();
    auto token = common::secret::random_token();
    auto expires = domain::TimeFormat::format_instant(
        request.now_instant +
        std::chrono::duration_cast<std::chrono::microseconds>(request.ctx.options.enrollment_ttl));
    return request.db.transaction([&](db::Connection& db) {
        auto rows = db.exec(
            "INSERT INTO booths (site_id, label, enrollment_token_hash, enrollment_expires_at, "
            "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id::text, vg_booth_json(booths)",
            {site_id, *label, common::secret::token_hash(token), expires, request.now});
        std::string id(rows.get(0, 0));
        request.audit("booth.create", "booth", id, json{{"site_id", site_id}}.dump());
        auto booth = json::parse(rows.get(0, 1));
        booth["enrollment_token"] = token;
        booth["enrollment_url"] = request.ctx.web.public_base_url + "/booth/#enroll=" + token;
        auto response = json_response(201, booth.dump());
        response.headers.emplace_back("Location", "/api/v1/booths/" + id);
        return response;
    });
}

Response list_booths(ApiRequest& request) {
    auto site_id = request.id("id");
    site_json(request, site_id);
    auto page = Paging::read(request.http, domain::Validation::is_uuid);
    auto rows = request.db.exec(
        "SELECT vg_booth_json(b)::text, b.id::text FROM booths b WHERE b.site_id = $1 "
        "AND ($2::uuid IS NULL OR b.id > $2::uuid) ORDER BY b.id LIMIT $3",
        {site_id, page.after, std::to_string(page.limit + 1)});
    return json_response(200, Paging::answer("booths", rows, page, 1));
}

Response revoke_booth(ApiRequest& request) {
    auto booth_id = request.id("id");
    return request.db.transaction([&](db::Connection& db) {
        auto rows = db.exec(
            "SELECT site_id::text, revoked_at IS NOT NULL FROM booths WHERE id = $1 FOR UPDATE",
            {booth_id});
        if (rows.rows() == 0) throw Problem(404, "There is no such booth.");
        if (rows.get(0, 1) == "t") return Response::no_content();  // already revoked
        std::string site_id(rows.get(0, 0));
        db.exec("UPDATE booths SET revoked_at = $2, revoked_by = $3 WHERE id = $1",
                {booth_id, request.now, request.principal.actor()});
        // A citizen waiting at a booth that is taken out of service has left the queue.
        desk::Queue::abandon_at_booth(db, request.now, booth_id);
        request.audit("booth.revoke", "booth", booth_id);
        request.event("booth.revoked", site_id, std::nullopt, booth_id, booth_id);
        return Response::no_content();
    });
}

// A new enrolment URL for a booth (a replaced kiosk, or an URL that expired unused). The booth's
// current credential keeps working until the new URL is used.
Response reissue_enrollment(ApiRequest& request) {
    auto booth_id = request.id("id");
    auto token = common::secret::random_token();
    auto expires = domain::TimeFormat::format_instant(
        request.now_instant +
        std::chrono::duration_cast<std::chrono::microseconds>(request.ctx.options.enrollment_ttl));
    return request.db.transaction([&](db::Connection& db) {
        auto rows = db.exec(
            "UPDATE booths SET enrollment_token_hash = $2, enrollment_expires_at = $3, "
            "enrolled_at = NULL WHERE id = $1 AND revoked_at IS NULL "
            "RETURNING vg_booth_json(booths)::text",
            {booth_id, common::secret::token_hash(token), expires});
        if (rows.rows() == 0) {
            if (db.exec("SELECT 1 FROM booths WHERE id = $1", {booth_id}).rows() == 0)
                throw Problem(404, "There is no such booth.");
            throw Problem(409, "This booth is revoked: create a new one.");
        }
        request.audit("booth.reissue_enrollment", "booth", booth_id);
        auto booth = json::parse(rows.get(0, 0));
        booth["enrollment_token"] = token;
        booth["enrollment_url"] = request.ctx.web.public_base_url + "/booth/#enroll=" + token;
        return json_response(200, booth.dump());
    });
}

}  // namespace

void add_site_routes(Router& router, ApiContext& ctx) {
    const desk::Roles readers = Role::Admin | Role::Scheduler | Role::Supervisor | Role::Agent;
    serve(router, ctx, "POST", "/sites", Role::Admin, create_site);
    serve(router, ctx, "GET", "/sites", readers, list_sites);
    serve(router, ctx, "GET", "/sites/{id}", readers, [](ApiRequest& request) {
        return json_response(200, site_json(request, request.id("id")));
    });
    serve(router, ctx, "POST", "/sites/{id}/booths", Role::Admin, create_booth);
    serve(router, ctx, "GET", "/sites/{id}/booths", Role::Admin | Role::Supervisor, list_booths);
    serve(router, ctx, "DELETE", "/booths/{id}", Role::Admin, revoke_booth);
    serve(router, ctx, "POST", "/booths/{id}/enrollment", Role::Admin, reissue_enrollment);
}

}  // namespace vg::http::api
