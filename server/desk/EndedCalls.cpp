#include "desk/EndedCalls.hpp"

#include "desk/LiveState.hpp"

namespace vg::desk {

std::vector<std::string> EndedCalls::among(db::Connection& db,
                                           const std::vector<std::string>& event_ids) {
    std::vector<std::string> sessions;
    if (event_ids.empty()) return sessions;
    auto rows = db.exec(
        "SELECT DISTINCT c.id::text FROM domain_events e JOIN call_sessions c ON "
        "(e.type = 'session.ended' AND c.id = e.object_id) OR "
        "(e.type = 'booth.revoked' AND c.booth_id = e.booth_id AND c.ended_at IS NULL) "
        "WHERE e.id = ANY($1::bigint[]) AND e.type IN ('session.ended', 'booth.revoked')",
        {LiveState::text_array(event_ids)});
    for (int row = 0; row < rows.rows(); ++row) sessions.emplace_back(rows.get(row, 0));
    return sessions;
}

}  // namespace vg::desk
