#pragma once
// A site's weekly opening hours (in its wall-clock time) and when it is open, closures included:
// the rules themselves are SQL (vg_slot_starts, vg_site_opening in migrations/0010_hours.sql), so
// slots, bookings, walk-ins and the booth's closed screen all read one definition.
#include <optional>
#include <string>
#include <vector>

#include "db/Connection.hpp"

namespace vg::desk {

// One opening of a weekday: ISO weekday (1 = Monday), minutes since local midnight, close
// after open (1440 = midnight at the end of the day).
struct WeeklyHours {
    int weekday = 1;
    int open_minutes = 0;
    int close_minutes = 0;
};

// Where the site stands at an instant: open (then opens_at is that instant), or closed until
// opens_at (none when it does not open within the next 400 days). closes_at: the end of that
// opening, if one is ahead. reason_*: the closure that covers the instant, if any.
struct Opening {
    bool open = false;
    std::optional<std::string> opens_at;
    std::optional<std::string> closes_at;
    std::optional<std::string> reason_fr;
    std::optional<std::string> reason_en;
};

class SiteHours {
  public:
    // {"site_id", "rules":[{weekday, open, close}]}, ordered by day and time.
    static std::string hours_json(db::Connection& db, const std::string& site_id);
    // Replaces the site's weekly hours (none: open at every hour); inside the caller's
    // transaction. Overlapping rules of one day are refused by the table (23P01).
    static void replace(db::Connection& db, const std::string& site_id,
                        const std::vector<WeeklyHours>& rules);
    static Opening opening(db::Connection& db, const std::string& site_id, const std::string& at);
    // {"site_id", "open", "opens_at", "closes_at", "reason_fr", "reason_en"} (absent: null).
    static std::string opening_json(const std::string& site_id, const Opening& opening);
};

}  // namespace vg::desk
