#include "desk/Credentials.hpp"

#include <string_view>
#include <vector>

#include "common/Secret.hpp"

namespace vg::desk {

namespace {

constexpr std::size_t kMaxTokenLength = 256;

std::vector<std::string> split(std::string_view list) {
    std::vector<std::string> items;
    while (!list.empty()) {
        auto comma = list.find(',');
        items.emplace_back(list.substr(0, comma));
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return items;
}

}  // namespace

std::optional<Principal> Credentials::resolve(db::Connection& db, const std::string& token,
                                              const std::string& now,
                                              std::chrono::seconds idle_timeout) {
    if (token.empty() || token.size() > kMaxTokenLength) return std::nullopt;
    // One round trip whatever the kind of token: each branch is one unique-index lookup.
    auto rows = db.exec(
        R"(SELECT 'api_key' AS kind, k.id::text AS id, k.role::text AS roles, NULL AS sites,
                  NULL AS session_id, false AS must_change
             FROM api_keys k WHERE k.key_hash = $1 AND k.revoked_at IS NULL
              AND (k.expires_at IS NULL OR k.expires_at > $2::timestamptz)
           UNION ALL
           SELECT 'agent', a.id::text, array_to_string(a.roles, ','),
                  (SELECT string_agg(site_id::text, ',') FROM agent_sites WHERE agent_id = a.id),
                  s.id::text, a.password_must_change
             FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
            WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2::timestamptz
              AND coalesce(s.last_used_at, s.created_at) >
                  $2::timestamptz - $3 * interval '1 second'
              AND a.active
           UNION ALL
           SELECT 'booth', b.id::text, 'booth', b.site_id::text, NULL, false
             FROM booths b WHERE b.device_token_hash = $1 AND b.revoked_at IS NULL)",
        {common::secret::token_hash(token), now, std::to_string(idle_timeout.count())});
    if (rows.rows() != 1) return std::nullopt;
    Principal principal;
    auto kind = rows.get(0, "kind");
    principal.kind = kind == "api_key" ? Principal::Kind::ApiKey
                     : kind == "agent" ? Principal::Kind::Agent
                                       : Principal::Kind::Booth;
    principal.id = std::string(rows.get(0, "id"));
    for (const auto& name : split(rows.get(0, "roles")))
        if (auto role = Roles::parse(name)) principal.roles |= *role;
    principal.site_ids = split(rows.get(0, "sites"));
    principal.session_id = std::string(rows.get(0, "session_id"));
    principal.password_must_change = rows.get(0, "must_change") == "t";
    if (principal.kind == Principal::Kind::Agent)
        // Used now: the idle timeout starts again (written at most every 30 s per session).
        db.exec(
            "UPDATE agent_sessions SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL "
            "OR last_used_at < $2::timestamptz - interval '30 seconds')",
            {principal.session_id, now});
    return principal;
}

}  // namespace vg::desk
