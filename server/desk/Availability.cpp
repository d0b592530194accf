#include "desk/Availability.hpp"

#include <nlohmann/json.hpp>

#include "desk/DomainEvents.hpp"
#include "domain/TimeFormat.hpp"

namespace vg::desk {

using domain::TimeFormat;

std::string Availability::rules_json(db::Connection& db, const std::string& agent_id) {
    auto rows = db.exec(
        "SELECT coalesce(jsonb_agg(jsonb_build_object('weekday', weekday, 'start', "
        "to_char(start_time, 'HH24:MI'), 'end', CASE WHEN end_time = '24:00' THEN '24:00' ELSE "
        "to_char(end_time, 'HH24:MI') END, 'site_id', site_id) ORDER BY weekday, start_time, "
        "site_id), '[]')::text FROM availability_rules WHERE agent_id = $1",
        {agent_id});
    return "{\"agent_id\":\"" + agent_id + "\",\"rules\":" + std::string(rows.get(0, 0)) + "}";
}

std::vector<std::string> Availability::covered_sites(db::Connection& db,
                                                     const std::string& agent_id) {
    auto rows = db.exec("SELECT site_id::text FROM agent_sites WHERE agent_id = $1", {agent_id});
    std::vector<std::string> sites;
    for (int i = 0; i < rows.rows(); ++i) sites.emplace_back(rows.get(i, 0));
    return sites;
}

std::string Availability::replace(db::Connection& db, const std::string& now,
                                  const Principal& actor, const std::string& address,
                                  const std::string& agent_id,
                                  const std::vector<AvailabilityRule>& rules) {
    return db.transaction([&](db::Connection& tx) {
        tx.exec("SELECT 1 FROM agents WHERE id = $1 FOR UPDATE", {agent_id});
        auto before = rules_json(tx, agent_id);
        tx.exec("DELETE FROM availability_rules WHERE agent_id = $1", {agent_id});
        for (const auto& r : rules) {
            tx.exec(
                "INSERT INTO availability_rules (agent_id, site_id, weekday, start_time, "
                "end_time) VALUES ($1, $2, $3, $4::time, $5::time)",
                {agent_id, r.site_id, std::to_string(r.weekday),
                 TimeFormat::format_time_of_day(r.start), TimeFormat::format_time_of_day(r.end)});
        }
        auto after = rules_json(tx, agent_id);
        DomainEvents::audit(tx, now, actor, address, "agent.availability", "agent", agent_id,
                            nlohmann::json{{"before", nlohmann::json::parse(before)["rules"]},
                                           {"after", nlohmann::json::parse(after)["rules"]}}
                                .dump());
        return after;
    });
}

}  // namespace vg::desk
