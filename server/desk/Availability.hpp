#pragma once
// An agent's weekly availability: rules of a weekday, a time of day range and one of the sites
// the agent covers. Read as {agent_id, rules: [{weekday, start, end, site_id}]}; replaced whole.
#include <string>
#include <vector>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

struct AvailabilityRule {
    int weekday = 1;  // 1 Monday .. 7 Sunday
    int start = 0;    // minutes since midnight
    int end = 0;      // 1440: midnight at the end of the day
    std::string site_id;
};

class Availability {
  public:
    static std::string rules_json(db::Connection& db, const std::string& agent_id);
    // The sites the agent covers, which their rules may name.
    static std::vector<std::string> covered_sites(db::Connection& db, const std::string& agent_id);
    // The agent's rules become these (checked: covered sites, no overlap); audited with before
    // and after. Returns rules_json after.
    static std::string replace(db::Connection& db, const std::string& now, const Principal& actor,
                               const std::string& address, const std::string& agent_id,
                               const std::vector<AvailabilityRule>& rules);
};

}  // namespace vg::desk
