#include "desk/SiteHours.hpp"

#include <nlohmann/json.hpp>

#include "domain/TimeFormat.hpp"

namespace vg::desk {

std::string SiteHours::hours_json(db::Connection& db, const std::string& site_id) {
    auto rows = db.exec(
        "SELECT coalesce(jsonb_agg(jsonb_build_object('weekday', weekday, 'open', "
        "vg_clock(open_time), 'close', vg_clock(close_time)) ORDER BY weekday, open_time), "
        "'[]')::text FROM site_hours WHERE site_id = $1",
        {site_id});
    nlohmann::json answer = {{"site_id", site_id},
                             {"rules", nlohmann::json::parse(rows.get(0, 0))}};
    return answer.dump();
}

void SiteHours::replace(db::Connection& db, const std::string& site_id,
                        const std::vector<WeeklyHours>& rules) {
    db.exec("DELETE FROM site_hours WHERE site_id = $1", {site_id});
    for (const auto& rule : rules) {
        db.exec(
            "INSERT INTO site_hours (site_id, weekday, open_time, close_time) "
            "VALUES ($1, $2, $3::time, $4::time)",
            {site_id, std::to_string(rule.weekday),
             domain::TimeFormat::format_time_of_day(rule.open_minutes),
             domain::TimeFormat::format_time_of_day(rule.close_minutes)});
    }
}

Opening SiteHours::opening(db::Connection& db, const std::string& site_id, const std::string& at) {
    auto rows = db.exec(
        "SELECT o.opens_at = $2::timestamptz, vg_time(o.opens_at), vg_time(o.closes_at), "
        "o.reason_fr, o.reason_en FROM vg_site_opening($1, $2) o",
        {site_id, at});
    auto optional_text = [&](int column) -> std::optional<std::string> {
        if (rows.is_null(0, column)) return std::nullopt;
        return std::string(rows.get(0, column));
    };
    Opening opening;
    opening.open = rows.get(0, 0) == "t";
    opening.opens_at = optional_text(1);
    opening.closes_at = optional_text(2);
    opening.reason_fr = optional_text(3);
    opening.reason_en = optional_text(4);
    return opening;
}

std::string SiteHours::opening_json(const std::string& site_id, const Opening& opening) {
    auto value = [](const std::optional<std::string>& text) {
        return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
    };
    return nlohmann::json{{"site_id", site_id},
                          {"open", opening.open},
                          {"opens_at", value(opening.opens_at)},
                          {"closes_at", value(opening.closes_at)},
                          {"reason_fr", value(opening.reason_fr)},
                          {"reason_en", value(opening.reason_en)}}
        .dump();
}

}  // namespace vg::desk
