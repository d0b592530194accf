#include "desk/Services.hpp"

#include <nlohmann/json.hpp>

#include "desk/DomainEvents.hpp"

namespace vg::desk {

std::optional<CreatedService> Services::create(db::Connection& db, const std::string& now,
                                               const Principal& actor, const std::string& address,
                                               const NewService& service) {
    return db.transaction([&](db::Connection& tx) -> std::optional<CreatedService> {
        auto rows = tx.exec(
            "INSERT INTO services (code, name_fr, name_en, duration_minutes, walk_in_allowed, "
            "created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING "
            "RETURNING id::text, vg_service_json(services)::text",
            {service.code, service.name_fr, service.name_en,
             std::to_string(service.duration_minutes), service.walk_in_allowed ? "true" : "false",
             now});
        if (rows.rows() == 0) return std::nullopt;
        CreatedService created{std::string(rows.get(0, 0)), std::string(rows.get(0, 1))};
        DomainEvents::audit(tx, now, actor, address, "service.create", "service", created.id,
                            nlohmann::json{{"code", service.code}}.dump());
        return created;
    });
}

std::optional<std::string> Services::view_json(db::Connection& db, const std::string& id) {
    auto rows = db.exec("SELECT vg_service_json(s)::text FROM services s WHERE s.id = $1", {id});
    if (rows.rows() == 0) return std::nullopt;
    return std::string(rows.get(0, 0));
}

db::Result Services::list(db::Connection& db, const std::optional<std::string>& after_id,
                          int limit) {
    return db.exec(
        "SELECT vg_service_json(s)::text, s.id::text FROM services s "
        "WHERE ($1::uuid IS NULL OR s.id > $1::uuid) ORDER BY s.id LIMIT $2",
        {after_id, std::to_string(limit)});
}

}  // namespace vg::desk
