#include "desk/Placement.hpp"

#include "db/Connection.hpp"

namespace vg::desk {

Host Placement::host(db::Connection& db, const std::string& session_id, const LocalNode& self) {
    return db.transaction([&](db::Connection& tx) {
        // Lock first, read after: a statement that waited for the lock would still join the
        // node rows of its old snapshot, and every racer would then place the session anew.
        // The next statement reads what the winner committed.
        auto locked = tx.exec("SELECT 1 FROM call_sessions WHERE id = $1 FOR UPDATE", {session_id});
        if (locked.rows() == 0) throw NoNodeAvailable();
        auto current = tx.exec(
            "SELECT c.node_name, n.signaling_url, vg_node_state(n) FROM call_sessions c "
            "LEFT JOIN nodes n ON n.name = c.node_name WHERE c.id = $1",
            {session_id});
        if (current.get(0, 2) == "active")
            return Host{std::string(current.get(0, 0)), std::string(current.get(0, 1)), false};
        if (current.is_null(0, 0) && self.name.empty() && !self.draining) {
            // No registry at all (one unregistered process): nothing to record.
            return Host{"", self.signaling_url, false};
        }
        auto placed = tx.exec(
            "WITH chosen AS (SELECT n.name, n.signaling_url FROM nodes n "
            "                WHERE n.name = (SELECT vg_least_loaded_node())) "
            "UPDATE call_sessions c SET node_name = chosen.name, placements = placements + 1 "
            "FROM chosen WHERE c.id = $1 RETURNING chosen.name, chosen.signaling_url",
            {session_id});
        if (placed.rows() == 1)
            return Host{std::string(placed.get(0, 0)), std::string(placed.get(0, 1)), true};
        if (self.draining) throw NoNodeAvailable();
        // No active node in the registry, yet this one answers: it hosts the call.
        tx.exec(
            "UPDATE call_sessions SET node_name = NULLIF($2, ''), placements = placements + 1 "
            "WHERE id = $1",
            {session_id, self.name});
        return Host{self.name, self.signaling_url, true};
    });
}

Placement::LetGo Placement::hosted_elsewhere(db::Connection& db, const std::string& node,
                                             const std::vector<std::string>& session_ids) {
    LetGo let_go;
    // Ids come from join tokens this service signed; anything else than a UUID's characters is
    // left out rather than let into the array's text.
    std::string ids;
    for (const auto& id : session_ids) {
        if (id.empty() || id.size() > 36 ||
            id.find_first_not_of("0123456789abcdefABCDEF-") != std::string::npos)
            continue;
        ids += (ids.empty() ? "" : ",") + id;
    }
    if (ids.empty()) return let_go;
    auto rows = db.exec(
        "SELECT id::text, ended_at IS NOT NULL FROM call_sessions WHERE id = ANY($1::uuid[]) "
        "AND (ended_at IS NOT NULL OR node_name IS DISTINCT FROM $2)",
        {"{" + ids + "}", node});
    for (int row = 0; row < rows.rows(); ++row)
        (rows.get(row, 1) == "t" ? let_go.ended : let_go.moved).emplace_back(rows.get(row, 0));
    return let_go;
}

}  // namespace vg::desk
