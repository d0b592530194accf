#include "desk/AgentAccounts.hpp"

#include <nlohmann/json.hpp>

#include "desk/AgentPresence.hpp"
#include "desk/DomainEvents.hpp"
#include "desk/LiveState.hpp"

namespace vg::desk {

namespace {

using nlohmann::json;

// Rows of one of the agent's lists replaced by values (checked by the caller).
void replace_list(db::Connection& db, const std::string& table, const std::string& column,
                  const std::string& type, const std::string& agent_id,
                  const std::vector<std::string>& values) {
    db.exec("DELETE FROM " + table + " WHERE agent_id = $1 AND NOT (" + column +
                " = ANY($2::" + type + "[]))",
            {agent_id, LiveState::text_array(values)});
    db.exec("INSERT INTO " + table + " (agent_id, " + column + ") SELECT $1, unnest($2::" + type +
                "[]) ON CONFLICT DO NOTHING",
            {agent_id, LiveState::text_array(values)});
}

}  // namespace

std::optional<int> AgentAccounts::version(db::Connection& db, const std::string& agent_id) {
    auto rows = db.exec("SELECT version FROM agents WHERE id = $1", {agent_id});
    if (rows.rows() == 0) return std::nullopt;
    return std::stoi(std::string(rows.get(0, 0)));
}

void AgentAccounts::revoke_sessions(db::Connection& db, const std::string& now,
                                    const std::string& agent_id) {
    db.exec("UPDATE agent_sessions SET revoked_at = $2 WHERE agent_id = $1 AND revoked_at IS NULL",
            {agent_id, now});
    AgentPresence::leave_console(db, now, agent_id);
    // Every node closes the agent's live-events connections as this commits.
    DomainEvents::emit(db, now, "agent.revoked", std::nullopt, agent_id, std::nullopt, agent_id);
}

AgentWrite AgentAccounts::update(db::Connection& db, const std::string& now, const Principal& actor,
                                 const std::string& address, const std::string& agent_id,
                                 std::optional<int> expected_version, const AgentChanges& changes) {
    return db.transaction([&](db::Connection& tx) {
        auto current =
            tx.exec("SELECT version, active FROM agents WHERE id = $1 FOR UPDATE", {agent_id});
        if (current.rows() == 0) return AgentWrite::NotFound;
        if (expected_version && std::to_string(*expected_version) != current.get(0, 0))
            return AgentWrite::Stale;
        bool was_active = current.get(0, 1) == "t";
        tx.exec(
            "UPDATE agents SET active = coalesce($2::boolean, active), "
            "display_name = coalesce($3, display_name), "
            "roles = coalesce($4::text[], roles), version = version + 1, updated_at = $5 "
            "WHERE id = $1",
            {agent_id, changes.active ? db::Param{*changes.active ? "true" : "false"} : db::Param{},
             changes.display_name,
             changes.roles ? db::Param{LiveState::text_array(*changes.roles)} : db::Param{}, now});
        if (changes.site_ids)
            replace_list(tx, "agent_sites", "site_id", "uuid", agent_id, *changes.site_ids);
        if (changes.service_ids)
            replace_list(tx, "agent_services", "service_id", "uuid", agent_id,
                         *changes.service_ids);
        if (changes.languages)
            replace_list(tx, "agent_languages", "language", "text", agent_id, *changes.languages);
        json details = json::object();
        if (changes.active) details["active"] = *changes.active;
        if (changes.roles) details["roles"] = *changes.roles;
        if (changes.site_ids) details["site_ids"] = *changes.site_ids;
        if (changes.service_ids) details["service_ids"] = *changes.service_ids;
        if (changes.languages) details["languages"] = *changes.languages;
        if (changes.display_name) details["display_name"] = *changes.display_name;
        bool deactivated = was_active && changes.active && !*changes.active;
        if (deactivated) revoke_sessions(tx, now, agent_id);
        DomainEvents::audit(tx, now, actor, address,
                            deactivated ? "agent.deactivate" : "agent.update", "agent", agent_id,
                            details.dump());
        return AgentWrite::Done;
    });
}

AgentWrite AgentAccounts::change_password(db::Connection& db, const std::string& now,
                                          const Principal& agent, const std::string& address,
                                          const std::string& old_hash,
                                          const std::string& new_hash) {
    return db.transaction([&](db::Connection& tx) {
        auto changed = tx.exec(
            "UPDATE agents SET password_hash = $3, password_must_change = false, "
            "version = version + 1, updated_at = $4 WHERE id = $1 AND password_hash = $2 "
            "AND active",
            {agent.id, old_hash, new_hash, now});
        if (changed.affected_rows() == 0) return AgentWrite::Stale;
        // Whoever else held a session of this agent (a stolen token) holds nothing now; the
        // keep-alive closes their connections within a second.
        tx.exec(
            "UPDATE agent_sessions SET revoked_at = $3 WHERE agent_id = $1 AND id <> $2 "
            "AND revoked_at IS NULL",
            {agent.id, agent.session_id, now});
        DomainEvents::audit(tx, now, agent, address, "agent.password_change", "agent", agent.id);
        return AgentWrite::Done;
    });
}

AgentWrite AgentAccounts::reset_password(db::Connection& db, const std::string& now,
                                         const Principal& actor, const std::string& address,
                                         const std::string& agent_id, const std::string& new_hash) {
    return db.transaction([&](db::Connection& tx) {
        auto changed = tx.exec(
            "UPDATE agents SET password_hash = $2, password_must_change = true, "
            "version = version + 1, updated_at = $3 WHERE id = $1",
            {agent_id, new_hash, now});
        if (changed.affected_rows() == 0) return AgentWrite::NotFound;
        revoke_sessions(tx, now, agent_id);
        DomainEvents::audit(tx, now, actor, address, "agent.password_reset", "agent", agent_id);
        return AgentWrite::Done;
    });
}

std::optional<std::string> AgentAccounts::email(db::Connection& db, const std::string& agent_id) {
    auto rows = db.exec("SELECT email FROM agents WHERE id = $1", {agent_id});
    if (rows.rows() == 0) return std::nullopt;
    return std::string(rows.get(0, 0));
}

std::string AgentAccounts::password_hash(db::Connection& db, const std::string& agent_id) {
    auto rows = db.exec("SELECT password_hash FROM agents WHERE id = $1 AND active", {agent_id});
    return rows.rows() == 1 ? std::string(rows.get(0, 0)) : std::string();
}

}  // namespace vg::desk
