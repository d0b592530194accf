#pragma once
// The agents as administrators and supervisors see them: new accounts, the list, one agent's
// record (vg_agent_json). Changes after creation are AgentAccounts'. Inputs arrive checked.
#include <optional>
#include <string>
#include <vector>

#include "db/Connection.hpp"
#include "db/Result.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

struct NewAgent {
    std::string email, display_name, password_hash;
    std::vector<std::string> roles, site_ids, service_ids, languages;
};

class AgentDirectory {
  public:
    // What an agent may be given: the sites and services they work for.
    enum class Listed { Sites, Services };

    // The new agent's id, offline; nullopt when an agent has this e-mail already.
    static std::optional<std::string> create(db::Connection& db, const std::string& now,
                                             const Principal& actor, const std::string& address,
                                             const NewAgent& agent);
    // vg_agent_json of the agent; nullopt when there is none.
    static std::optional<std::string> view_json(db::Connection& db, const std::string& agent_id);
    // Rows (vg_agent_json text, id) of the agents after after_id in id order, at most limit;
    // site_scope (an array literal) keeps those working at one of its sites.
    static db::Result list(db::Connection& db, const std::optional<std::string>& after_id,
                           const std::optional<std::string>& site_scope, int limit);
    // Every one of ids names a row of what.
    static bool all_exist(db::Connection& db, Listed what, const std::vector<std::string>& ids);
};

}  // namespace vg::desk
