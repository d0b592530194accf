#include "http/api/Scheduling.hpp"

#include "domain/CheckInCode.hpp"

namespace vg::http::api {

namespace {

constexpr const char* kActive = "('booked', 'checked_in', 'in_call')";

}  // namespace

std::string Scheduling::slots_json(db::Connection& db, const std::string& site_id,
                                   const std::string& service_id, const std::string& date,
                                   const std::string& now,
                                   const std::optional<std::string>& language) {
    // The grid is laid in local wall-clock time from each window's start, then each point is
    // turned into the instants it names in the site's zone. A local time that a spring-forward
    // change skips does not survive the round trip back to local time, so it gives no slot; one
    // that a fall-back change repeats names two instants (AT TIME ZONE gives the later, the
    // earlier is an hour before), so the repeated hour has its slots twice, as it is worked.
    auto rows = db.exec(
        std::string(
            "WITH site AS (SELECT timezone FROM sites WHERE id = $1),"
            " svc AS (SELECT make_interval(mins => duration_minutes) AS len FROM services "
            "         WHERE id = $2),"
            " grid AS (SELECT r.agent_id, g.local_start FROM availability_rules r"
            "   JOIN agents a ON a.id = r.agent_id AND a.active AND 'agent' = ANY (a.roles)"
            "   JOIN agent_services sv ON sv.agent_id = r.agent_id AND sv.service_id = $2"
            "   CROSS JOIN svc"
            "   CROSS JOIN LATERAL generate_series($3::date + r.start_time,"
            "                                      $3::date + r.end_time - svc.len, svc.len)"
            "              AS g(local_start)"
            "   WHERE r.site_id = $1 AND r.weekday = extract(isodow FROM $3::date)"
            "     AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM agent_languages l"
            "          WHERE l.agent_id = r.agent_id AND l.language = $5))),"
            " slots AS (SELECT g.agent_id, i.starts_at, i.starts_at + svc.len AS ends_at"
            "   FROM grid g, site, svc, LATERAL unnest(ARRAY["
            "     g.local_start AT TIME ZONE site.timezone,"
            "     (g.local_start AT TIME ZONE site.timezone) - interval '1 hour']) AS i(starts_at)"
            "   WHERE i.starts_at AT TIME ZONE site.timezone = g.local_start"
            "     AND i.starts_at > $4::timestamptz),"
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

}  // namespace vg::http::api
