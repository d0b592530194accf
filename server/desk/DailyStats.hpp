#pragma once
// A site's figures of one of its local days, from what was recorded: appointments, queue entries
// and call sessions (GET /stats/daily). Inputs arrive checked (a site id, a date).
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

enum class StatsRefusal { None, NoSuchSite, OtherSite };

struct DayFigures {
    StatsRefusal refusal = StatsRefusal::None;
    std::string json;  // {site_id, date, appointments, cancelled, walk_ins, served, ...}
};

class DailyStats {
  public:
    // Only for a site the reader covers: the figures are counted after that check.
    static DayFigures of_day(db::Connection& db, const Principal& reader,
                             const std::string& site_id, const std::string& date);
};

}  // namespace vg::desk
