#include "desk/AgentDirectory.hpp"

#include <nlohmann/json.hpp>

#include "desk/DomainEvents.hpp"
#include "desk/LiveState.hpp"

namespace vg::desk {

std::optional<std::string> AgentDirectory::create(db::Connection& db, const std::string& now,
                                                  const Principal& actor,
                                                  const std::string& address,
                                                  const NewAgent& agent) {
    return db.transaction([&](db::Connection& tx) -> std::optional<std::string> {
        auto rows = tx.exec(
            "INSERT INTO agents (email, display_name, password_hash, roles, created_at, "
            "updated_at) VALUES ($1, $2, $3, $4::text[], $5, $5) "
            "ON CONFLICT (lower(email)) DO NOTHING RETURNING id::text",
            {agent.email, agent.display_name, agent.password_hash,
             LiveState::text_array(agent.roles), now});
        if (rows.rows() == 0) return std::nullopt;
        std::string id(rows.get(0, 0));
        tx.exec("INSERT INTO agent_sites SELECT $1, unnest($2::uuid[])",
                {id, LiveState::text_array(agent.site_ids)});
        tx.exec("INSERT INTO agent_services SELECT $1, unnest($2::uuid[])",
                {id, LiveState::text_array(agent.service_ids)});
        tx.exec("INSERT INTO agent_languages SELECT $1, unnest($2::text[])",
                {id, LiveState::text_array(agent.languages)});
        tx.exec(
            "INSERT INTO agent_presence (agent_id, state, since, last_seen_at) "
            "VALUES ($1, 'offline', $2, $2)",
            {id, now});
        DomainEvents::audit(tx, now, actor, address, "agent.create", "agent", id,
                            nlohmann::json{{"email", agent.email}, {"roles", agent.roles}}.dump());
        return id;
    });
}

std::optional<std::string> AgentDirectory::view_json(db::Connection& db,
                                                     const std::string& agent_id) {
    auto rows = db.exec("SELECT vg_agent_json(a)::text FROM agents a WHERE a.id = $1", {agent_id});
    if (rows.rows() == 0) return std::nullopt;
    return std::string(rows.get(0, 0));
}

db::Result AgentDirectory::list(db::Connection& db, const std::optional<std::string>& after_id,
                                const std::optional<std::string>& site_scope, int limit) {
    return db.exec(
        "SELECT vg_agent_json(a)::text, a.id::text FROM agents a "
        "WHERE ($1::uuid IS NULL OR a.id > $1::uuid) AND ($2::uuid[] IS NULL OR EXISTS "
        "(SELECT 1 FROM agent_sites s WHERE s.agent_id = a.id AND s.site_id = ANY($2))) "
        "ORDER BY a.id LIMIT $3",
        {after_id, site_scope, std::to_string(limit)});
}

bool AgentDirectory::all_exist(db::Connection& db, Listed what,
                               const std::vector<std::string>& ids) {
    if (ids.empty()) return true;
    const char* table = what == Listed::Sites ? "sites" : "services";
    auto rows =
        db.exec(std::string("SELECT count(*) FROM ") + table + " WHERE id = ANY($1::uuid[])",
                {LiveState::text_array(ids)});
    return std::stoul(std::string(rows.get(0, 0))) == ids.size();
}

}  // namespace vg::desk
