// Call sessions: joining (the token signaling verifies) and ending with an outcome.
#include "desk/ApiKeys.hpp"
#include "desk/Placement.hpp"
#include "domain/JoinToken.hpp"
#include "domain/TurnCredentials.hpp"
#include "http/Problem.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using nlohmann::json;

Response join(ApiRequest& request) {
    auto session_id = request.id("id");
    auto rows = request.db.exec(
        "SELECT booth_id::text, agent_id::text, ended_at IS NOT NULL FROM call_sessions "
        "WHERE id = $1",
        {session_id});
    if (rows.rows() == 0) throw Problem(404, "There is no such call session.");
    std::string role;
    if (request.principal.kind == desk::Principal::Kind::Booth &&
        rows.get(0, 0) == request.principal.id)
        role = "booth";
    else if (request.principal.kind == desk::Principal::Kind::Agent &&
             rows.get(0, 1) == request.principal.id)
        role = "agent";
    else
        throw Problem(403, "Only the session's booth and agent join it.");
    if (rows.get(0, 2) == "t") throw Problem(409, "This call session has ended.");
    desk::Host host;
    try {
        host = desk::Placement::host(
            request.db, session_id,
            {request.ctx.web.node_name, request.ctx.web.signaling_url, request.ctx.web.draining()});
    } catch (const desk::NoNodeAvailable&) {
        throw Problem(503, "No server node can host the call now; try again shortly.")
            .with_header("Retry-After", "2");
    }
    using namespace std::chrono;
    const auto& options = request.ctx.options;
    auto now = duration_cast<seconds>(request.now_instant.time_since_epoch()).count();
    auto token = domain::JoinToken::sign(
        desk::load_join_token_key(request.db),
        {session_id, role, request.principal.id, now + options.join_token_ttl.count(), host.name});
    json ice = json::array();
    if (!options.turn_uris.empty() && !options.turn_secret.empty()) {
        auto turn = domain::TurnCredentials::issue(options.turn_secret, session_id + ":" + role,
                                                   now + options.turn_credential_ttl.count());
        ice.push_back({{"urls", options.turn_uris},
                       {"username", turn.username},
                       {"credential", turn.credential}});
    }
    json answer = {{"session_id", session_id},
                   {"role", role},
                   {"signaling_url", host.signaling_url},
                   {"join_token", token},
                   {"ice_servers", ice}};
    auto response = json_response(200, answer.dump());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

Response end(ApiRequest& request) {
    auto session_id = request.id("id");
    // Who may end it is checked before the body is read: others learn nothing from a 422.
    auto owner =
        request.db.exec("SELECT agent_id::text FROM call_sessions WHERE id = $1", {session_id});
    if (owner.rows() == 0) throw Problem(404, "There is no such call session.");
    if (request.principal.kind != desk::Principal::Kind::Agent ||
        owner.get(0, 0) != request.principal.id)
        throw Problem(403, "Only the session's agent ends it.");
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"outcome", "notes"});
    auto outcome =
        fields.one_of("outcome", true, {"served", "no_show", "transferred", "technical_failure"});
    auto notes = fields.long_text("notes", false, 4000);
    fields.finish();
    return request.db.transaction([&](db::Connection& db) {
        auto rows = db.exec(
            "SELECT agent_id::text, ended_at IS NOT NULL, site_id::text, booth_id::text, "
            "queue_entry_id::text, appointment_id::text FROM call_sessions WHERE id = $1 "
            "FOR UPDATE",
            {session_id});
        if (rows.rows() == 0) throw Problem(404, "There is no such call session.");
        if (request.principal.kind != desk::Principal::Kind::Agent ||
            rows.get(0, 0) != request.principal.id)
            throw Problem(403, "Only the session's agent ends it.");
        if (rows.get(0, 1) == "t") throw Problem(409, "This call session has ended already.");
        std::string site_id(rows.get(0, 2)), booth_id(rows.get(0, 3)), entry_id(rows.get(0, 4));
        auto appointment = rows.optional(0, "appointment_id");
        auto ended = db.exec(
            "UPDATE call_sessions SET ended_at = $2, end_reason = 'ended_by_agent', "
            "outcome = $3::call_outcome, notes = $4 WHERE id = $1 "
            "RETURNING vg_call_session_json(call_sessions)::text",
            {session_id, request.now, *outcome, notes});
        db.exec("UPDATE queue_entries SET state = 'done', done_at = $2, outcome = $3 WHERE id = $1",
                {entry_id, request.now, *outcome});
        if (appointment) {
            // A call that failed for technical reasons leaves the appointment open: the citizen
            // can check in again with the same code.
            db.exec(
                "UPDATE appointments SET status = CASE $3 WHEN 'no_show' THEN "
                "'no_show'::appointment_status WHEN 'technical_failure' THEN 'booked' ELSE "
                "'completed' END, completed_at = CASE WHEN $3 IN ('served', 'transferred') THEN "
                "$2::timestamptz END, no_show_at = CASE WHEN $3 = 'no_show' THEN "
                "$2::timestamptz END, version = version + 1, updated_at = $2 WHERE id = $1",
                {*appointment, request.now, *outcome});
            db.exec(
                "INSERT INTO appointment_history (appointment_id, action, actor, at, details) "
                "VALUES ($1, 'call_ended', $2, $3, $4::jsonb)",
                {*appointment, request.principal.actor(), request.now,
                 json{{"outcome", *outcome}}.dump()});
        }
        db.exec("UPDATE agent_presence SET state = 'wrap_up', since = $2 WHERE agent_id = $1",
                {request.principal.id, request.now});
        request.audit("session.end", "call_session", session_id,
                      json{{"outcome", *outcome}}.dump());
        request.event("session.ended", site_id, request.principal.id, booth_id, session_id);
        request.event("queue.changed", site_id, std::nullopt, booth_id, entry_id);
        request.event("presence.changed", std::nullopt, request.principal.id, std::nullopt,
                      request.principal.id);
        return json_response(200, std::string(ended.get(0, 0)));
    });
}

}  // namespace

void add_session_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "POST", "/sessions/{id}/join",
          Role::Booth | Role::Agent | Role::Supervisor | Role::Admin, join);
    serve(router, ctx, "POST", "/sessions/{id}/end", Role::Agent | Role::Supervisor | Role::Admin,
          end);
}

}  // namespace vg::http::api
