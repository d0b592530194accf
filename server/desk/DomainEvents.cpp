#include "desk/DomainEvents.hpp"

namespace vg::desk {

void DomainEvents::emit(db::Connection& db, const std::string& now, std::string_view type,
                        const std::optional<std::string>& site_id,
                        const std::optional<std::string>& agent_id,
                        const std::optional<std::string>& booth_id,
                        const std::optional<std::string>& object_id) {
    db.exec(
        "INSERT INTO domain_events (type, site_id, agent_id, booth_id, object_id, at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {std::string(type), site_id, agent_id, booth_id, object_id, now});
}

void DomainEvents::audit(db::Connection& db, const std::string& now, const Principal& actor,
                         const std::string& source_address, std::string_view action,
                         std::string_view object_type, const std::string& object_id,
                         const std::string& details_json) {
    bool anonymous = actor.id.empty();
    db.exec(
        "INSERT INTO audit_events (at, actor_kind, actor_id, action, object_type, object_id, "
        "source_address, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)",
        {now, anonymous ? std::string("anonymous") : actor.kind_name(),
         anonymous ? db::Param{} : db::Param{actor.id}, std::string(action),
         std::string(object_type), object_id, source_address, details_json});
}

}  // namespace vg::desk
