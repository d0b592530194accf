#pragma once
// Who is calling: an API key (one role), an agent's login session (roles and covered sites), or
// an enrolled booth (its site). Resolved from the bearer token on every request.
#include <algorithm>
#include <string>
#include <vector>

namespace vg::http::api {

enum Role : unsigned {
    kAdmin = 1,
    kScheduler = 2,
    kSupervisor = 4,
    kAgent = 8,
    kBooth = 16,
};

struct Principal {
    enum class Kind { ApiKey, Agent, Booth };
    Kind kind = Kind::ApiKey;
    std::string id;  // api_keys.id, agents.id or booths.id
    unsigned roles = 0;
    std::vector<std::string> site_ids;  // agent: the sites covered; booth: its own site
    std::string session_id;             // agent_sessions.id, for logout

    bool has(unsigned role) const { return (roles & role) != 0; }
    // API keys and administrators reach every site; agents the ones they cover; a booth its own.
    bool all_sites() const { return kind == Kind::ApiKey || (kind == Kind::Agent && has(kAdmin)); }
    bool covers(const std::string& site_id) const {
        return all_sites() ||
               std::find(site_ids.begin(), site_ids.end(), site_id) != site_ids.end();
    }
    std::string kind_name() const {
        return kind == Kind::ApiKey ? "api_key" : kind == Kind::Agent ? "agent" : "booth";
    }
    std::string actor() const { return kind_name() + ":" + id; }
};

}  // namespace vg::http::api
