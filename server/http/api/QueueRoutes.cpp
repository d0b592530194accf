// The queue as agents see it: the list of a site, claim the next entry, accept or decline it.
#include <nlohmann/json.hpp>

#include "common/Secret.hpp"
#include "desk/Queue.hpp"
#include "http/Problem.hpp"
#include "http/api/Auth.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using nlohmann::json;

void require_agent_session(const ApiRequest& request) {
    if (request.principal.kind != desk::Principal::Kind::Agent)
        throw Problem(403, "Only an agent takes citizens from the queue.");
}

// What the agent is offered: the entry, and for an appointment the citizen's name and time.
std::string offered_json(db::Connection& db, const std::string& entry_id) {
    auto rows = db.exec(
        "SELECT vg_queue_entry_json(q) || CASE WHEN a.id IS NULL THEN '{}'::jsonb ELSE "
        "jsonb_build_object('citizen', jsonb_build_object('name', a.citizen_name, 'language', "
        "a.citizen_language), 'starts_at', vg_time(a.starts_at)) END "
        "FROM queue_entries q LEFT JOIN appointments a ON a.id = q.appointment_id "
        "WHERE q.id = $1",
        {entry_id});
    return std::string(rows.get(0, 0));
}

Response site_queue(ApiRequest& request) {
    auto site_id = request.id("id");
    if (request.db.exec("SELECT 1 FROM sites WHERE id = $1", {site_id}).rows() == 0)
        throw Problem(404, "There is no such site.");
    Auth::require_site(request.principal, site_id);
    // Entries in a call come last; the others are numbered in the order agents take them.
    const std::string order = "q.state = 'accepted', " + desk::Queue::order_by("$2");
    auto rows = request.db.exec(
        "SELECT coalesce(jsonb_agg(x.entry ORDER BY x.n), '[]')::text FROM (SELECT "
        "vg_queue_entry_json(q) || jsonb_build_object('position', CASE WHEN q.state IN "
        "('waiting', 'offered') THEN row_number() OVER (ORDER BY " +
            order +
            ") END) AS entry, "
            "row_number() OVER (ORDER BY " +
            order +
            ") AS n FROM queue_entries q "
            "WHERE q.site_id = $1 AND q.state IN ('waiting', 'offered', 'accepted')) x",
        {site_id, request.now});
    return json_response(200, "{\"entries\":" + std::string(rows.get(0, 0)) + "}");
}

Response claim_next(ApiRequest& request) {
    require_agent_session(request);
    const auto& agent_id = request.principal.id;
    return request.db.transaction([&](db::Connection& db) {
        desk::Queue::expire_offers(db, request.now);
        auto presence = db.exec(
            "SELECT state::text FROM agent_presence WHERE agent_id = $1 FOR UPDATE", {agent_id});
        auto state = presence.rows() == 1 ? std::string(presence.get(0, 0)) : "offline";
        if (state == "offered") {
            auto pending = db.exec(
                "SELECT id::text FROM queue_entries WHERE offered_to = $1 AND state = 'offered'",
                {agent_id});
            if (pending.rows() == 1)
                return json_response(200, offered_json(db, std::string(pending.get(0, 0))));
        }
        if (state != "available")
            throw Problem(409,
                          "Only an available agent can take the next citizen (now " + state + ").");
        // SKIP LOCKED: agents claiming at the same time each get a different entry, none waits.
        auto next = db.exec(
            "SELECT q.id::text, q.site_id::text FROM queue_entries q WHERE q.state = 'waiting' "
            "AND q.site_id IN (SELECT site_id FROM agent_sites WHERE agent_id = $1) "
            "AND q.service_id IN (SELECT service_id FROM agent_services WHERE agent_id = $1) "
            "AND q.language IN (SELECT language FROM agent_languages WHERE agent_id = $1) "
            "ORDER BY " +
                desk::Queue::order_by("$2") + " LIMIT 1 FOR UPDATE SKIP LOCKED",
            {agent_id, request.now});
        if (next.rows() == 0) return Response::no_content();
        std::string entry_id(next.get(0, 0)), site_id(next.get(0, 1));
        auto expires = domain::TimeFormat::format_instant(
            request.now_instant + std::chrono::duration_cast<std::chrono::microseconds>(
                                      request.ctx.options.offer_timeout));
        db.exec(
            "UPDATE queue_entries SET state = 'offered', offered_to = $2, offered_at = $3, "
            "offer_expires_at = $4, offer_count = offer_count + 1 WHERE id = $1",
            {entry_id, agent_id, request.now, expires});
        db.exec("UPDATE agent_presence SET state = 'offered', since = $2 WHERE agent_id = $1",
                {agent_id, request.now});
        request.audit("queue.offer", "queue_entry", entry_id, json{{"agent_id", agent_id}}.dump());
        request.event("offer", site_id, agent_id, std::nullopt, entry_id);
        request.event("queue.changed", site_id, std::nullopt, std::nullopt, entry_id);
        request.event("presence.changed", std::nullopt, agent_id, std::nullopt, agent_id);
        return json_response(200, offered_json(db, entry_id));
    });
}

// The entry, locked; 404 when absent, 403 when it is offered to another agent, 409 when it is
// not offered to this one or the offer expired.
db::Result offered_to_me(ApiRequest& request, db::Connection& db, const std::string& entry_id) {
    auto rows = db.exec(
        "SELECT site_id::text, booth_id::text, state::text, offered_to::text, "
        "offer_expires_at > $2::timestamptz, appointment_id::text FROM queue_entries "
        "WHERE id = $1 FOR UPDATE",
        {entry_id, request.now});
    if (rows.rows() == 0) throw Problem(404, "There is no such queue entry.");
    Auth::require_site(request.principal, std::string(rows.get(0, 0)));
    if (rows.get(0, 2) != "offered") throw Problem(409, "This entry is not on offer.");
    if (rows.get(0, 3) != request.principal.id)
        throw Problem(403, "This entry is offered to another agent.");
    if (rows.get(0, 4) != "t") throw Problem(409, "The offer expired.");
    return rows;
}

Response accept(ApiRequest& request) {
    require_agent_session(request);
    auto entry_id = request.id("id");
    const auto& agent_id = request.principal.id;
    return request.db.transaction([&](db::Connection& db) {
        auto entry = offered_to_me(request, db, entry_id);
        std::string site_id(entry.get(0, 0)), booth_id(entry.get(0, 1));
        auto appointment = entry.optional(0, "appointment_id");
        db.exec(
            "UPDATE queue_entries SET state = 'accepted', accepted_by = $2, accepted_at = $3, "
            "offered_to = NULL, offer_expires_at = NULL WHERE id = $1",
            {entry_id, agent_id, request.now});
        auto session = db.exec(
            "INSERT INTO call_sessions (site_id, booth_id, agent_id, queue_entry_id, "
            "appointment_id, room_id, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "RETURNING id::text",
            {site_id, booth_id, agent_id, entry_id, appointment, common::secret::random_token(16),
             request.now});
        std::string session_id(session.get(0, 0));
        if (appointment)
            db.exec(
                "UPDATE appointments SET status = 'in_call', version = version + 1, "
                "updated_at = $2 WHERE id = $1",
                {*appointment, request.now});
        db.exec("UPDATE agent_presence SET state = 'in_call', since = $2 WHERE agent_id = $1",
                {agent_id, request.now});
        request.audit("queue.accept", "call_session", session_id,
                      json{{"queue_entry_id", entry_id}}.dump());
        request.event("session.ready", site_id, agent_id, booth_id, session_id);
        request.event("queue.changed", site_id, std::nullopt, booth_id, entry_id);
        request.event("presence.changed", std::nullopt, agent_id, std::nullopt, agent_id);
        auto response = json_response(
            201, json{{"session_id", session_id}, {"queue_entry_id", entry_id}}.dump());
        response.headers.emplace_back("Location", "/api/v1/sessions/" + session_id);
        return response;
    });
}

Response decline(ApiRequest& request) {
    require_agent_session(request);
    auto entry_id = request.id("id");
    const auto& agent_id = request.principal.id;
    return request.db.transaction([&](db::Connection& db) {
        auto entry = offered_to_me(request, db, entry_id);
        std::string site_id(entry.get(0, 0));
        desk::Queue::return_offers_of(db, request.now, agent_id);
        db.exec(
            "UPDATE agent_presence SET state = 'available', since = $2 WHERE agent_id = $1 "
            "AND state = 'offered'",
            {agent_id, request.now});
        request.audit("queue.decline", "queue_entry", entry_id);
        request.event("presence.changed", std::nullopt, agent_id, std::nullopt, agent_id);
        return Response::no_content();
    });
}

}  // namespace

void add_queue_routes(Router& router, ApiContext& ctx) {
    const desk::Roles agents = Role::Agent | Role::Supervisor | Role::Admin;
    serve(router, ctx, "GET", "/sites/{id}/queue", agents, site_queue);
    serve(router, ctx, "POST", "/queue/claim-next", agents, claim_next);
    serve(router, ctx, "POST", "/queue/{id}/accept", agents, accept);
    serve(router, ctx, "POST", "/queue/{id}/decline", agents, decline);
}

}  // namespace vg::http::api
