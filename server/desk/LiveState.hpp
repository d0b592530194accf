#pragma once
// What live-events clients are shown, read from the tables: the snapshot a client gets first and
// the body of each pushed message. Queries only; every call runs on a pool connection.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

using SiteFilter = std::optional<std::vector<std::string>>;  // nullopt: every site

class LiveState {
  public:
    // The first message after hello: everything the principal may see now (see Audience).
    static nlohmann::json snapshot(db::Connection& db, const Principal& who,
                                   const std::string& now);
    // [{site_id, entries}], each list as GET /sites/{id}/queue answers it.
    static nlohmann::json queues(db::Connection& db, const SiteFilter& sites,
                                 const std::string& now);
    // {state: "idle"} | {state: "waiting", queue_entry_id, position, estimated_wait_seconds} |
    // {state: "in_call", queue_entry_id, session_id}. Nothing about anyone else.
    static nlohmann::json booth_state(db::Connection& db, const std::string& booth_id,
                                      const std::string& now);
    // {agent_id, state, since, site_ids}; null for an unknown agent.
    static nlohmann::json presence(db::Connection& db, const std::string& agent_id);
    // The presence of every active agent covering one of sites.
    static nlohmann::json presences(db::Connection& db, const SiteFilter& sites);
    // The entry on offer to this agent (queue_entry_id, expires_at, the entry, and for an
    // appointment the citizen's name and time); null when none.
    static nlohmann::json offer_for(db::Connection& db, const std::string& agent_id);
    // {session_id, site_id, booth_id, agent_id, queue_entry_id, started_at, ended_at, end_reason,
    // outcome}; null when absent. Never the notes.
    static nlohmann::json session(db::Connection& db, const std::string& session_id);
    // Calls in progress at sites, or of one agent.
    static nlohmann::json live_sessions(db::Connection& db, const SiteFilter& sites,
                                        const std::optional<std::string>& agent_id);

    // A PostgreSQL array literal of text values, for "= ANY($n::uuid[])".
    static std::string text_array(const std::vector<std::string>& values);
};

}  // namespace vg::desk
