#pragma once
// Who is calling: an API key (one role), an agent's login session (roles and covered sites), or
// an enrolled booth (its site). Resolved from a token by Credentials, for REST and live events.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vg::desk {

enum class Role : unsigned {
    Admin = 1,
    Scheduler = 2,
    Supervisor = 4,
    Agent = 8,
    Booth = 16,
};

// A set of roles: what a principal holds, or who may call a route.
class Roles {
  public:
    constexpr Roles() = default;
    constexpr Roles(Role role) : bits_(static_cast<unsigned>(role)) {}  // NOLINT: a set of one

    constexpr Roles operator|(Roles other) const { return Roles(bits_ | other.bits_); }
    constexpr Roles& operator|=(Roles other) {
        bits_ |= other.bits_;
        return *this;
    }
    constexpr bool has(Role role) const { return (bits_ & static_cast<unsigned>(role)) != 0; }
    constexpr bool shares(Roles other) const { return (bits_ & other.bits_) != 0; }
    constexpr bool empty() const { return bits_ == 0; }
    constexpr bool operator==(const Roles&) const = default;

    // The database's names (agents.roles, api_keys.role): "admin", "scheduler", ...
    static std::optional<Role> parse(std::string_view name);

  private:
    constexpr explicit Roles(unsigned bits) : bits_(bits) {}
    unsigned bits_ = 0;
};

constexpr Roles operator|(Role a, Role b) {
    return Roles(a) | Roles(b);
}

struct Principal {
    enum class Kind { ApiKey, Agent, Booth };
    Kind kind = Kind::ApiKey;
    std::string id;  // api_keys.id, agents.id or booths.id
    Roles roles;
    std::vector<std::string> site_ids;  // agent: the sites covered; booth: its own site
    std::string session_id;             // agent_sessions.id, for logout
    // An administrator reset the agent's password: only choosing a new one is allowed.
    bool password_must_change = false;

    bool has(Role role) const { return roles.has(role); }
    // API keys and administrators reach every site; agents the ones they cover; a booth its own.
    bool all_sites() const {
        return kind == Kind::ApiKey || (kind == Kind::Agent && has(Role::Admin));
    }
    bool covers(const std::string& site_id) const {
        return all_sites() ||
               std::find(site_ids.begin(), site_ids.end(), site_id) != site_ids.end();
    }
    std::string kind_name() const {
        return kind == Kind::ApiKey ? "api_key" : kind == Kind::Agent ? "agent" : "booth";
    }
    std::string actor() const { return kind_name() + ":" + id; }
};

}  // namespace vg::desk
