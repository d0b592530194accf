// Credentials taken back close their live-events connections on every node within a second
// (issue 14 item 3): a deactivated agent's console, a revoked API key's client.
#include <chrono>
#include <iostream>

#include "api/events/EventsFixture.hpp"

namespace vg::test {
namespace {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

long long ms_since(SteadyClock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start)
        .count();
}

TEST_F(EventsTest, ADeactivatedAgentsConsoleClosesWithinOneSecond) {
    auto world = make_world("REV", "EMP");
    auto token = available_agent("gone@example.org", {world.site_id}, world.service_id);
    auto live = connect(token);
    auto agent_id = call("GET", "/api/v1/agents/me", token).body["id"].get<std::string>();
    auto etag = call("GET", "/api/v1/agents/" + agent_id, admin_).header("ETag");
    auto started = SteadyClock::now();
    auto r = call("PATCH", "/api/v1/agents/" + agent_id, admin_, json{{"active", false}},
                  {{"If-Match", etag}});
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(live.close_code(), 4401);
    auto took = ms_since(started);
    std::cout << "deactivated agent's live events closed " << took << " ms after the PATCH\n";
    EXPECT_LT(took, 1000);
    EXPECT_EQ(call("GET", "/api/v1/agents/me", token).status, 401);
}

TEST_F(EventsTest, ARevokedApiKeysConnectionClosesWithinOneSecond) {
    auto made = call("POST", "/api/v1/api-keys", admin_,
                     json{{"role", "supervisor"}, {"name", "Wallboard"}});
    ASSERT_EQ(made.status, 201) << made.raw;
    auto live = connect(made.body["key"].get<std::string>());
    auto started = SteadyClock::now();
    ASSERT_EQ(
        call("DELETE", "/api/v1/api-keys/" + made.body["id"].get<std::string>(), admin_).status,
        204);
    EXPECT_EQ(live.close_code(), 4401);
    auto took = ms_since(started);
    std::cout << "revoked API key's live events closed " << took << " ms after the DELETE\n";
    EXPECT_LT(took, 1000);
}

}  // namespace
}  // namespace vg::test
