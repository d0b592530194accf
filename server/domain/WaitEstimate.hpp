#pragma once
// The wait a booth announces ("you are number 2, about 10 minutes").
#include <cstdint>

namespace vg::domain {

class WaitEstimate {
  public:
    // position: 1-based place in the queue. free_agents: agents available now for it;
    // busy_agents: those serving someone else. average_service_seconds: recent mean service time
    // (the service's duration when there is no history). The first free_agents citizens are
    // served at once; after that the line advances by one service time per round of agents.
    static std::int64_t seconds(int position, int free_agents, int busy_agents,
                                std::int64_t average_service_seconds);
};

}  // namespace vg::domain
