#include "desk/NodeRegistry.hpp"

#include <string>

#include "db/Connection.hpp"

namespace vg::desk {

NodeCounts NodeRegistry::heartbeat(db::Connection& db, const NodeIdentity& node,
                                   const NodeLoad& load, bool draining, bool first) {
    // One statement, one round trip: the heartbeat is what every node pays every second.
    auto rows = db.exec(
        "WITH beat AS ("
        " INSERT INTO nodes (name, public_url, signaling_url, public_addr, version, state, "
        "  started_at, last_seen_at, lease_until, call_sessions, participants, cpu_cores) "
        " VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp(), clock_timestamp(), "
        "  clock_timestamp() + make_interval(secs => $7::int), $8, $9, $10) "
        " ON CONFLICT (name) DO UPDATE SET public_url = EXCLUDED.public_url, "
        "  signaling_url = EXCLUDED.signaling_url, public_addr = EXCLUDED.public_addr, "
        "  version = EXCLUDED.version, state = EXCLUDED.state, "
        "  started_at = CASE WHEN $11 THEN EXCLUDED.started_at ELSE nodes.started_at END, "
        "  last_seen_at = EXCLUDED.last_seen_at, lease_until = EXCLUDED.lease_until, "
        "  call_sessions = EXCLUDED.call_sessions, participants = EXCLUDED.participants, "
        "  cpu_cores = EXCLUDED.cpu_cores RETURNING name), "
        " before AS (SELECT lease_until < clock_timestamp() AS lapsed FROM nodes WHERE name = $1) "
        // The insert runs whether or not it is read; the selects see the table as it was before
        // it, so this node counts by the state it just wrote, and learns whether it was lost.
        "SELECT count(*) FILTER (WHERE s = 'active'), count(*) FILTER (WHERE s = 'draining'), "
        " count(*) FILTER (WHERE s = 'lost'), coalesce((SELECT lapsed FROM before), false) "
        "FROM (SELECT vg_node_state(n) AS s FROM nodes n WHERE n.name <> $1 "
        "      UNION ALL SELECT $6) states",
        {node.name, node.public_url, node.signaling_url, node.public_addr, node.version,
         std::string(draining ? "draining" : "active"), std::to_string(node.lost_after.count()),
         std::to_string(load.call_sessions), std::to_string(load.participants),
         std::to_string(load.cpu_cores), std::string(first ? "true" : "false")});
    NodeCounts counts;
    counts.active = std::stoll(std::string(rows.get(0, 0)));
    counts.draining = std::stoll(std::string(rows.get(0, 1)));
    counts.lost = std::stoll(std::string(rows.get(0, 2)));
    counts.was_lost = rows.get(0, 3) == "t";
    return counts;
}

void NodeRegistry::leave(db::Connection& db, const std::string& name) {
    db.exec(
        "UPDATE nodes SET state = 'draining', call_sessions = 0, participants = 0, "
        "lease_until = clock_timestamp() WHERE name = $1",
        {name});
}

void NodeRegistry::forget_lost(db::Connection& db, std::chrono::hours after) {
    db.exec("DELETE FROM nodes WHERE lease_until < clock_timestamp() - make_interval(hours => $1)",
            {std::to_string(after.count())});
}

std::vector<NodeView> NodeRegistry::list(db::Connection& db) {
    auto rows = db.exec(
        "SELECT name, public_url, vg_node_state(nodes), vg_time(last_seen_at), call_sessions, "
        "participants FROM nodes ORDER BY name");
    std::vector<NodeView> nodes;
    for (int row = 0; row < rows.rows(); ++row) {
        nodes.push_back({std::string(rows.get(row, 0)), std::string(rows.get(row, 1)),
                         std::string(rows.get(row, 2)), std::string(rows.get(row, 3)),
                         std::stoll(std::string(rows.get(row, 4))),
                         std::stoll(std::string(rows.get(row, 5)))});
    }
    return nodes;
}

}  // namespace vg::desk
