#pragma once
// Who may see what on /api/v1/events. A booth sees only its own citizen's place and calls; an
// agent the queues of the sites they cover, their own presence, offers and calls; a supervisor
// (an agent with that role, for their sites) or an admin or supervisor API key (everywhere) also
// the other agents' presence and the calls in progress. Scheduler keys have no live view.
#include <string>
#include <vector>

#include "desk/Principal.hpp"

namespace vg::desk {

class Audience {
  public:
    static bool admitted(const Principal& who);
    // Every site, every agent, every call.
    static bool watches_everything(const Principal& who);
    // The queue of this site.
    static bool sees_queue(const Principal& who, const std::string& site_id);
    // The presence of this site's agents and the calls at this site.
    static bool oversees(const Principal& who, const std::string& site_id);
    static bool oversees_any(const Principal& who, const std::vector<std::string>& site_ids);
    static bool is_agent(const Principal& who, const std::string& agent_id);
    static bool is_booth(const Principal& who, const std::string& booth_id);
};

}  // namespace vg::desk
