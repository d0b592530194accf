#include "desk/Scheduling.hpp"

#include "domain/CheckInCode.hpp"

namespace vg::desk {

namespace {

constexpr const char* kActive = "('booked', 'checked_in', 'in_call')";

}  // namespace

std::string Scheduling::slots_json(db::Connection& db, const std::string& site_id,
                                   const std::string& service_id, const std::string& date,
                                   const std::string& now,
                                   const std::optional<std::string>& language) {
    // The grid is the one of vg_slot_starts (migrations/0003_booking.sql), which vg_place checks
    // a booking against.
    auto rows = db.exec(
        std::string(
            "WITH slots AS (SELECT g.agent_id, g.starts_at, g.ends_at"
            "   FROM vg_slot_starts($1, $2, $3::date) g"
            "   WHERE g.starts_at > $4::timestamptz"
            "     AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM agent_languages l"
            "          WHERE l.agent_id = g.agent_id AND l.language = $5))),"
            " counted AS (SELECT s.starts_at, s.ends_at, count(*) FILTER (WHERE NOT EXISTS ("
            "     SELECT 1 FROM appointments ap WHERE ap.agent_id = s.agent_id"
            "        AND ap.status IN ") +
            kActive +
            " AND ap.during && tstzrange(s.starts_at, s.ends_at))) AS agents"
            "   FROM slots s GROUP BY s.starts_at, s.ends_at)"
            "SELECT coalesce(jsonb_agg(jsonb_build_object('starts_at', vg_time(c.starts_at),"
            "  'ends_at', vg_time(c.ends_at), 'available', least(c.agents,"
            "  (SELECT count(*) FROM booths b WHERE b.site_id = $1 AND b.revoked_at IS NULL"
            "     AND NOT EXISTS (SELECT 1 FROM appointments ap WHERE ap.booth_id = b.id"
            "        AND ap.status IN " +
            kActive +
            " AND ap.during && tstzrange(c.starts_at, c.ends_at)))))"
            "  ORDER BY c.starts_at), '[]')::text FROM counted c",
        {site_id, service_id, date, now, language});
    return "{\"slots\":" + std::string(rows.get(0, 0)) + "}";
}

Placement Scheduling::place(db::Connection& db, const std::string& site_id,
                            const std::string& service_id, const std::string& starts_at,
                            const std::string& language,
                            const std::optional<std::string>& ignore_appointment,
                            const std::optional<std::string>& prefer_agent,
                            const std::optional<std::string>& prefer_booth) {
    auto rows = db.exec(
        "SELECT is_slot, placed_agent::text, placed_booth::text, vg_time(slot_ends_at) "
        "FROM vg_place($1, $2, $3, $4, $5, $6, $7)",
        {site_id, service_id, starts_at, language, ignore_appointment, prefer_agent, prefer_booth});
    Placement placement;
    if (rows.get(0, 0) != "t") return placement;
    placement.outcome = Placement::Outcome::Full;
    if (rows.is_null(0, 1) || rows.is_null(0, 2)) return placement;
    placement.outcome = Placement::Outcome::Placed;
    placement.agent_id = std::string(rows.get(0, 1));
    placement.booth_id = std::string(rows.get(0, 2));
    placement.ends_at = std::string(rows.get(0, 3));
    return placement;
}

Booking Scheduling::book(db::Connection& db, const std::string& site_id,
                         const std::string& service_id, const std::string& starts_at,
                         const Citizen& citizen, const Principal& actor,
                         const std::string& source_address, const std::string& now) {
    auto rows = db.exec(
        "SELECT outcome, appointment_id::text, body, version, placed_agent::text "
        "FROM vg_book($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        {site_id, service_id, starts_at, citizen.name, citizen.language, citizen.phone,
         citizen.email, domain::CheckInCode::generate(), actor.kind_name(), actor.id,
         source_address, now});
    Booking booking;
    auto outcome = rows.get(0, 0);
    if (outcome == "not_a_slot") return booking;
    booking.outcome = Placement::Outcome::Full;
    if (outcome != "placed") return booking;
    booking.outcome = Placement::Outcome::Placed;
    booking.id = std::string(rows.get(0, 1));
    booking.json = std::string(rows.get(0, 2));
    booking.version = std::string(rows.get(0, 3));
    booking.agent_id = std::string(rows.get(0, 4));
    return booking;
}

}  // namespace vg::desk
