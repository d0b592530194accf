#include "desk/DailyStats.hpp"

namespace vg::desk {

DayFigures DailyStats::of_day(db::Connection& db, const Principal& reader,
                              const std::string& site_id, const std::string& date) {
    DayFigures figures;
    if (db.exec("SELECT 1 FROM sites WHERE id = $1", {site_id}).rows() == 0)
        figures.refusal = StatsRefusal::NoSuchSite;
    else if (!reader.covers(site_id))
        figures.refusal = StatsRefusal::OtherSite;
    if (figures.refusal != StatsRefusal::None) return figures;
    // The day is the site's local day: 23 or 25 hours long on daylight-saving changes.
    auto rows = db.exec(
        "WITH day AS (SELECT $2::date::timestamp AT TIME ZONE s.timezone AS from_t, "
        "                    ($2::date + 1)::timestamp AT TIME ZONE s.timezone AS to_t "
        "             FROM sites s WHERE s.id = $1),"
        " entries AS (SELECT q.* FROM queue_entries q, day WHERE q.site_id = $1 "
        "             AND q.enqueued_at >= day.from_t AND q.enqueued_at < day.to_t),"
        " waits AS (SELECT extract(epoch FROM accepted_at - enqueued_at) AS w FROM entries "
        "           WHERE accepted_at IS NOT NULL),"
        " booked AS (SELECT a.* FROM appointments a, day WHERE a.site_id = $1 "
        "            AND a.starts_at >= day.from_t AND a.starts_at < day.to_t),"
        " calls AS (SELECT c.* FROM call_sessions c, day WHERE c.site_id = $1 "
        "           AND c.started_at >= day.from_t AND c.started_at < day.to_t) "
        "SELECT jsonb_build_object('site_id', $1::uuid, 'date', $2::date,"
        " 'appointments', (SELECT count(*) FROM booked WHERE status <> 'cancelled'),"
        " 'cancelled', (SELECT count(*) FROM booked WHERE status = 'cancelled'),"
        " 'walk_ins', (SELECT count(*) FROM entries WHERE kind = 'walk_in'),"
        " 'served', (SELECT count(*) FROM calls WHERE outcome = 'served'),"
        " 'no_shows', (SELECT count(*) FROM booked WHERE status = 'no_show'),"
        " 'abandoned', (SELECT count(*) FROM entries WHERE state = 'abandoned'),"
        " 'avg_wait_seconds', (SELECT round(avg(w)) FROM waits),"
        " 'p90_wait_seconds', (SELECT round(percentile_cont(0.9) WITHIN GROUP (ORDER BY w)) "
        "                      FROM waits),"
        " 'avg_service_seconds', (SELECT round(avg(extract(epoch FROM ended_at - started_at))) "
        "                         FROM calls WHERE ended_at IS NOT NULL))::text",
        {site_id, date});
    figures.json = std::string(rows.get(0, 0));
    return figures;
}

}  // namespace vg::desk
