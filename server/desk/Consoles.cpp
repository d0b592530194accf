#include "desk/Consoles.hpp"

#include "desk/LiveState.hpp"

namespace vg::desk {

std::vector<std::size_t> Consoles::keep_alive(db::Connection& db,
                                              const std::vector<Principal>& connected,
                                              const std::string& now) {
    if (connected.empty()) return {};
    std::vector<std::string> agents, sessions, booths, kinds, ids;
    for (const auto& who : connected) {
        kinds.push_back(who.kind_name());
        ids.push_back(who.kind == Principal::Kind::Agent ? who.session_id : who.id);
        if (ids.back().empty()) ids.back() = "00000000-0000-0000-0000-000000000000";
        if (who.kind == Principal::Kind::Agent) {
            agents.push_back(who.id);
            sessions.push_back(ids.back());
        }
        if (who.kind == Principal::Kind::Booth) booths.push_back(who.id);
    }
    if (!agents.empty()) {
        db.exec("UPDATE agent_presence SET last_seen_at = $2 WHERE agent_id = ANY($1::uuid[])",
                {LiveState::text_array(agents), now});
        // An open console is not idle: its login session's idle timeout starts again.
        db.exec(
            "UPDATE agent_sessions SET last_used_at = $2 WHERE id = ANY($1::uuid[]) AND "
            "last_used_at < $2::timestamptz - interval '30 seconds'",
            {LiveState::text_array(sessions), now});
    }
    // A booth is online while it holds a live-events connection somewhere.
    if (!booths.empty())
        db.exec("UPDATE booths SET last_seen_at = $2 WHERE id = ANY($1::uuid[])",
                {LiveState::text_array(booths), now});
    auto revoked = db.exec(
        "SELECT x.kind, x.id FROM unnest($1::text[], $2::text[]) AS x(kind, id) WHERE NOT "
        "CASE x.kind WHEN 'api_key' THEN EXISTS (SELECT 1 FROM api_keys k "
        "  WHERE k.id = x.id::uuid AND k.revoked_at IS NULL) "
        "WHEN 'agent' THEN EXISTS (SELECT 1 FROM agent_sessions s JOIN agents a "
        "  ON a.id = s.agent_id WHERE s.id = x.id::uuid AND s.revoked_at IS NULL "
        "  AND s.expires_at > $3::timestamptz AND a.active) "
        "ELSE EXISTS (SELECT 1 FROM booths b WHERE b.id = x.id::uuid AND b.revoked_at IS NULL) "
        "END",
        {LiveState::text_array(kinds), LiveState::text_array(ids), now});
    std::vector<std::size_t> ended;
    for (int row = 0; row < revoked.rows(); ++row)
        for (std::size_t i = 0; i < connected.size(); ++i)
            if (kinds[i] == revoked.get(row, 0) && ids[i] == revoked.get(row, 1))
                ended.push_back(i);
    return ended;
}

}  // namespace vg::desk
