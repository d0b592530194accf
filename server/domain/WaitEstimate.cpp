#include "domain/WaitEstimate.hpp"

#include <algorithm>

namespace vg::domain {

std::int64_t WaitEstimate::seconds(int position, int free_agents, int busy_agents,
                                   std::int64_t average_service_seconds) {
    free_agents = std::max(free_agents, 0);
    busy_agents = std::max(busy_agents, 0);
    if (position <= free_agents) return 0;
    const std::int64_t agents = std::max(free_agents + busy_agents, 1);
    const std::int64_t ahead =
        position - free_agents;  // still waiting once free agents took theirs
    const std::int64_t rounds = (ahead + agents - 1) / agents;
    return rounds * std::max<std::int64_t>(average_service_seconds, 0);
}

}  // namespace vg::domain
