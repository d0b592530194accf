#include "desk/LiveState.hpp"

#include "desk/Audience.hpp"
#include "desk/Queue.hpp"

namespace vg::desk {

namespace {

using nlohmann::json;

db::Param sites_param(const SiteFilter& sites) {
    if (!sites) return std::nullopt;
    return LiveState::text_array(*sites);
}

// The single jsonb value of a query, or null.
json one_json(const db::Result& rows) {
    if (rows.rows() == 0 || rows.is_null(0, 0)) return nullptr;
    return json::parse(rows.get(0, 0));
}

}  // namespace

json LiveState::snapshot(db::Connection& db, const Principal& who, const std::string& now) {
    using Kind = Principal::Kind;
    json snapshot = {{"type", "snapshot"}};
    if (who.kind == Kind::Booth) {
        snapshot["booth"] = booth_state(db, who.id, now);
        return snapshot;
    }
    SiteFilter sites;
    if (!Audience::watches_everything(who)) sites = who.site_ids;
    snapshot["queues"] = queues(db, sites, now);
    if (who.kind == Kind::Agent) {
        snapshot["presence"] = presence(db, who.id);
        snapshot["offer"] = offer_for(db, who.id);
    }
    if (Audience::watches_everything(who) || who.has(Role::Supervisor)) {
        snapshot["agents"] = presences(db, sites);
        snapshot["sessions"] = live_sessions(db, sites, std::nullopt);
    } else {
        snapshot["sessions"] = live_sessions(db, std::nullopt, who.id);
    }
    return snapshot;
}

json LiveState::queues(db::Connection& db, const SiteFilter& sites, const std::string& now) {
    // Entries in a call come last; the others are numbered in the order agents take them.
    const std::string order = "q.state = 'accepted', " + Queue::order_by("$2");
    auto rows = db.exec(
        "SELECT coalesce(jsonb_agg(jsonb_build_object('site_id', s.id, 'entries', "
        "  coalesce((SELECT jsonb_agg(x.entry ORDER BY x.n) FROM (SELECT vg_queue_entry_json(q) "
        "    || jsonb_build_object('position', CASE WHEN q.state IN ('waiting', 'offered') "
        "       THEN row_number() OVER (ORDER BY " +
            order + ") END) AS entry, row_number() OVER (ORDER BY " + order +
            ") AS n FROM queue_entries q WHERE q.site_id = s.id "
            "    AND q.state IN ('waiting', 'offered', 'accepted')) x), '[]'::jsonb)) "
            "  ORDER BY s.code), '[]'::jsonb)::text "
            "FROM sites s WHERE $1::uuid[] IS NULL OR s.id = ANY($1::uuid[])",
        {sites_param(sites), now});
    return one_json(rows);
}

json LiveState::booth_state(db::Connection& db, const std::string& booth_id,
                            const std::string& now) {
    auto rows = db.exec(
        "SELECT q.id::text, q.state::text, (SELECT c.id::text FROM call_sessions c "
        "WHERE c.queue_entry_id = q.id AND c.ended_at IS NULL) FROM queue_entries q "
        "WHERE q.booth_id = $1 AND q.state IN ('waiting', 'offered', 'accepted')",
        {booth_id});
    if (rows.rows() == 0) return {{"state", "idle"}};
    std::string entry_id(rows.get(0, 0));
    if (rows.get(0, 1) == "accepted") {
        json state = {{"state", "in_call"}, {"queue_entry_id", entry_id}};
        if (!rows.is_null(0, 2)) state["session_id"] = std::string(rows.get(0, 2));
        return state;
    }
    // Offered is still waiting, as far as the citizen knows.
    auto place = Queue::place(db, now, entry_id);
    return {{"state", "waiting"},
            {"queue_entry_id", entry_id},
            {"position", place.position},
            {"estimated_wait_seconds", place.estimated_wait_seconds}};
}

namespace {

const char* const kPresenceJson =
    "jsonb_build_object('agent_id', a.id, 'state', coalesce(p.state::text, 'offline'), "
    "'since', vg_time(p.since), 'site_ids', coalesce((SELECT jsonb_agg(s.site_id ORDER BY "
    "s.site_id) FROM agent_sites s WHERE s.agent_id = a.id), '[]'::jsonb))";

const char* const kSessionJson =
    "jsonb_build_object('session_id', c.id, 'site_id', c.site_id, 'booth_id', c.booth_id, "
    "'agent_id', c.agent_id, 'queue_entry_id', c.queue_entry_id, 'started_at', "
    "vg_time(c.started_at), 'ended_at', vg_time(c.ended_at), 'end_reason', c.end_reason, "
    "'outcome', c.outcome)";

}  // namespace

json LiveState::presence(db::Connection& db, const std::string& agent_id) {
    return one_json(db.exec(std::string("SELECT ") + kPresenceJson +
                                "::text FROM agents a LEFT JOIN agent_presence p "
                                "ON p.agent_id = a.id WHERE a.id = $1",
                            {agent_id}));
}

json LiveState::presences(db::Connection& db, const SiteFilter& sites) {
    return one_json(
        db.exec(std::string("SELECT coalesce(jsonb_agg(") + kPresenceJson +
                    " ORDER BY a.display_name, a.id), '[]'::jsonb)::text FROM agents a "
                    "LEFT JOIN agent_presence p ON p.agent_id = a.id WHERE a.active AND "
                    "($1::uuid[] IS NULL OR EXISTS (SELECT 1 FROM agent_sites s "
                    "WHERE s.agent_id = a.id AND s.site_id = ANY($1::uuid[])))",
                {sites_param(sites)}));
}

json LiveState::offer_for(db::Connection& db, const std::string& agent_id) {
    return one_json(db.exec(
        "SELECT (vg_queue_entry_json(q) || jsonb_build_object('queue_entry_id', q.id, "
        "'expires_at', vg_time(q.offer_expires_at)) || CASE WHEN a.id IS NULL THEN '{}'::jsonb "
        "ELSE jsonb_build_object('citizen', jsonb_build_object('name', a.citizen_name, "
        "'language', a.citizen_language), 'starts_at', vg_time(a.starts_at)) END)::text "
        "FROM queue_entries q LEFT JOIN appointments a ON a.id = q.appointment_id "
        "WHERE q.offered_to = $1 AND q.state = 'offered'",
        {agent_id}));
}

json LiveState::session(db::Connection& db, const std::string& session_id) {
    return one_json(db.exec(
        std::string("SELECT ") + kSessionJson + "::text FROM call_sessions c WHERE c.id = $1",
        {session_id}));
}

json LiveState::live_sessions(db::Connection& db, const SiteFilter& sites,
                              const std::optional<std::string>& agent_id) {
    return one_json(db.exec(std::string("SELECT coalesce(jsonb_agg(") + kSessionJson +
                                " ORDER BY c.started_at, c.id), '[]'::jsonb)::text "
                                "FROM call_sessions c WHERE c.ended_at IS NULL "
                                "AND ($1::uuid[] IS NULL OR c.site_id = ANY($1::uuid[])) "
                                "AND ($2::uuid IS NULL OR c.agent_id = $2::uuid)",
                            {sites_param(sites), agent_id}));
}

std::string LiveState::text_array(const std::vector<std::string>& values) {
    std::string literal = "{";
    for (const auto& value : values) {
        if (literal.size() > 1) literal += ',';
        literal += '"';
        for (char c : value) {
            if (c == '"' || c == '\\') literal += '\\';
            literal += c;
        }
        literal += '"';
    }
    return literal + "}";
}

}  // namespace vg::desk
