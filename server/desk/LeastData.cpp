#include "desk/LeastData.hpp"

namespace vg::desk {

std::optional<std::string> LeastData::plain_agent(const Principal& principal) {
    if (principal.kind != Principal::Kind::Agent) return std::nullopt;
    if (principal.roles.shares(Role::Admin | Role::Scheduler | Role::Supervisor))
        return std::nullopt;
    return principal.id;
}

void LeastData::audit_reads(db::Connection& db, const std::string& now, const Principal& reader,
                            const std::string& client_address, std::string_view route,
                            const std::vector<std::string>& appointment_ids) {
    if (appointment_ids.empty()) return;
    std::string ids = "{";
    for (std::size_t i = 0; i < appointment_ids.size(); ++i) {
        if (i > 0) ids += ',';
        ids += appointment_ids[i];
    }
    ids += '}';
    auto hidden = plain_agent(reader);
    db.exec(
        "INSERT INTO audit_events (at, actor_kind, actor_id, action, object_type, object_id, "
        "source_address, details) "
        "SELECT $1, $2, $3, 'citizen.read', 'appointment', a.id::text, $4, "
        "jsonb_build_object('route', $5::text, 'contact', "
        "$6::uuid IS NULL OR vg_agent_serves($6::uuid, a.id)) "
        "FROM unnest($7::uuid[]) AS a(id)",
        {now, reader.kind_name(), reader.id, client_address, std::string(route), hidden, ids});
}

}  // namespace vg::desk
