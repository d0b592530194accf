#include "desk/SiteClosures.hpp"

#include <nlohmann/json.hpp>

namespace vg::desk {

ClosureMade SiteClosures::create(db::Connection& db, const Closure& closure,
                                 const std::string& actor, const std::string& now) {
    auto inserted = db.exec(
        "INSERT INTO site_closures (site_id, starts_at, ends_at, reason_fr, reason_en, "
        "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "RETURNING id::text, vg_closure_json(site_closures)::text",
        {closure.site_id, closure.starts_at, closure.ends_at, closure.reason_fr, closure.reason_en,
         actor, now});
    ClosureMade made{std::string(inserted.get(0, 0)), {}};
    // Visits already checked in or in a call go on; only those still to come are cancelled. The
    // reason is the citizen's own language's, which the cancellation message quotes.
    auto cancelled = db.exec(
        "WITH hit AS (UPDATE appointments a SET status = 'cancelled', "
        "    cancel_reason = CASE WHEN a.citizen_language = 'fr' THEN $4 ELSE $5 END, "
        "    cancelled_by = $6, cancelled_at = $7, version = version + 1, updated_at = $7 "
        "  WHERE a.site_id = $1 AND a.status = 'booked' "
        "    AND a.during && tstzrange($2::timestamptz, $3::timestamptz) "
        "  RETURNING a.id, a.site_id, a.agent_id, a.starts_at, vg_appointment_json(a) AS j), "
        " history AS (INSERT INTO appointment_history (appointment_id, action, actor, at, "
        "    details) SELECT h.id, 'cancelled', $6, $7, jsonb_build_object('closure_id', $8::uuid) "
        "  FROM hit h), "
        " events AS (INSERT INTO domain_events (type, site_id, agent_id, object_id, at) "
        "  SELECT 'appointment.changed', h.site_id, h.agent_id, h.id, $7 FROM hit h) "
        "SELECT coalesce(jsonb_agg(h.j ORDER BY h.starts_at), '[]')::text "
        "FROM hit h",
        {closure.site_id, closure.starts_at, closure.ends_at, closure.reason_fr, closure.reason_en,
         actor, now, made.id});
    auto answer = nlohmann::json::parse(inserted.get(0, 1));
    answer["cancelled_appointments"] = nlohmann::json::parse(cancelled.get(0, 0));
    made.json = answer.dump();
    return made;
}

std::string SiteClosures::list_json(db::Connection& db, const std::string& site_id,
                                    const std::string& from, int limit) {
    auto rows = db.exec(
        "SELECT coalesce(jsonb_agg(x.j ORDER BY x.starts_at), '[]')::text FROM ("
        "  SELECT vg_closure_json(c) AS j, c.starts_at FROM site_closures c "
        "  WHERE c.site_id = $1 AND c.ends_at > $2::timestamptz ORDER BY c.starts_at LIMIT $3) x",
        {site_id, from, std::to_string(limit)});
    return "{\"closures\":" + std::string(rows.get(0, 0)) + "}";
}

std::optional<std::string> SiteClosures::remove(db::Connection& db, const std::string& closure_id) {
    auto rows =
        db.exec("DELETE FROM site_closures WHERE id = $1 RETURNING site_id::text", {closure_id});
    if (rows.rows() == 0) return std::nullopt;
    return std::string(rows.get(0, 0));
}

}  // namespace vg::desk
