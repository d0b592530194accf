#pragma once
// Agent accounts after creation (CONTRACT.md "Credentials after creation"): edits under a
// version (If-Match), deactivation that takes every login session back at once, the agent's own
// password change and an administrator's reset. Inputs arrive checked; each operation is one
// transaction that leaves its audit and domain events.
#include <optional>
#include <string>
#include <vector>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

struct AgentChanges {
    std::optional<bool> active;
    std::optional<std::string> display_name;
    std::optional<std::vector<std::string>> roles, site_ids, service_ids, languages;
};

enum class AgentWrite { Done, NotFound, Stale };

class AgentAccounts {
  public:
    // The agent's version (its ETag), nullopt when there is no such agent.
    static std::optional<int> version(db::Connection& db, const std::string& agent_id);
    // Applies changes when the agent is still at expected_version (nullopt: any). Deactivation
    // revokes every login session and ends the agent's live-events connections (agent.revoked);
    // what was offered to the agent goes back to the queue.
    static AgentWrite update(db::Connection& db, const std::string& now, const Principal& actor,
                             const std::string& address, const std::string& agent_id,
                             std::optional<int> expected_version, const AgentChanges& changes);
    // The agent's own change, over the hash that was checked (old_hash): Stale when it changed
    // meanwhile. The agent's other login sessions are revoked; this one stays.
    static AgentWrite change_password(db::Connection& db, const std::string& now,
                                      const Principal& agent, const std::string& address,
                                      const std::string& old_hash, const std::string& new_hash);
    // An administrator's reset: a password the agent must replace at its next login, and every
    // session of the agent revoked (its connections end).
    static AgentWrite reset_password(db::Connection& db, const std::string& now,
                                     const Principal& actor, const std::string& address,
                                     const std::string& agent_id, const std::string& new_hash);
    // The agent's e-mail (their login name); nullopt when there is no such agent.
    static std::optional<std::string> email(db::Connection& db, const std::string& agent_id);
    // The stored hash of an agent's password ("" when there is no such active agent).
    static std::string password_hash(db::Connection& db, const std::string& agent_id);

  private:
    static void revoke_sessions(db::Connection& db, const std::string& now,
                                const std::string& agent_id);
};

}  // namespace vg::desk
