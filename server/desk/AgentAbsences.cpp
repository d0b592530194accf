#include "desk/AgentAbsences.hpp"

namespace vg::desk {

std::string AgentAbsences::create(db::Connection& db, const Absence& absence,
                                  const std::string& actor, const std::string& now) {
    auto rows = db.exec(
        "INSERT INTO agent_absences (agent_id, starts_at, ends_at, reason, created_by, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING vg_absence_json(agent_absences)",
        {absence.agent_id, absence.starts_at, absence.ends_at, absence.reason, actor, now});
    return std::string(rows.get(0, 0));
}

std::string AgentAbsences::list_for_site_json(db::Connection& db, const std::string& site_id,
                                              const std::string& from, int limit) {
    auto rows = db.exec(
        "SELECT coalesce(jsonb_agg(x.j ORDER BY x.starts_at), '[]')::text FROM ("
        "  SELECT vg_absence_json(a) AS j, a.starts_at FROM agent_absences a "
        "  JOIN agent_sites s ON s.agent_id = a.agent_id AND s.site_id = $1 "
        "  WHERE a.ends_at > $2::timestamptz ORDER BY a.starts_at LIMIT $3) x",
        {site_id, from, std::to_string(limit)});
    return "{\"absences\":" + std::string(rows.get(0, 0)) + "}";
}

std::optional<std::string> AgentAbsences::remove(db::Connection& db,
                                                 const std::string& absence_id) {
    auto rows =
        db.exec("DELETE FROM agent_absences WHERE id = $1 RETURNING agent_id::text", {absence_id});
    if (rows.rows() == 0) return std::nullopt;
    return std::string(rows.get(0, 0));
}

}  // namespace vg::desk
