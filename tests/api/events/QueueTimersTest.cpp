// The queue's clock through live events: offers that expire and agents whose console is gone.
#include "api/events/EventsFixture.hpp"

namespace vg::test {

using nlohmann::json;

TEST_F(EventsTest, ExpiredOfferReturnsToWaitingAndAgentToAvailable) {
    auto world = make_world("NIC", "EMP");
    auto booth_token = enroll(world.site_id);
    auto token = available_agent("a@example.org", {world.site_id}, world.service_id);
    auto agent = connect(token);
    auto booth = connect(booth_token);
    auto entry = walk_in(booth_token, world.service_id)["queue_entry_id"].get<std::string>();
    ASSERT_EQ(call("POST", "/api/v1/queue/claim-next", token).status, 200);
    agent.next("offer");
    EXPECT_FALSE(agent.next("presence.changed", "state", "offered").is_null());

    advance(std::chrono::seconds(21));  // the offer lasts 20 s
    EXPECT_FALSE(agent.next("presence.changed", "state", "available").is_null());
    EXPECT_TRUE(
        eventually("SELECT state::text FROM queue_entries WHERE id = '" + entry + "'", "waiting"));
    auto reconnected = connect(token);
    EXPECT_TRUE(reconnected.snapshot["offer"].is_null());
    EXPECT_EQ(reconnected.snapshot["queues"][0]["entries"][0]["state"], "waiting");
    // The citizen never knew: still first in line.
    booth.ws->send_text("{\"type\":\"ping\"}");
    for (json message = booth.next(); message["type"] != "pong"; message = booth.next()) {
        if (message["type"] == "booth.state") {
            EXPECT_EQ(message["position"], 1);
        }
    }
}

TEST_F(EventsTest, AgentWhoseConsoleIsGoneGoesOfflineAfterTheGraceAndTheOfferReturns) {
    ctx_->options.presence_grace = std::chrono::seconds(10);
    ctx_->options.offer_timeout = std::chrono::seconds(60);  // not what takes the offer back here
    auto world = make_world("NIC", "EMP");
    auto booth_token = enroll(world.site_id);
    auto token = available_agent("a@example.org", {world.site_id}, world.service_id);
    auto supervisor = connect(new_key("supervisor"));
    auto entry = walk_in(booth_token, world.service_id)["queue_entry_id"].get<std::string>();
    const std::string presence =
        "SELECT p.state::text FROM agent_presence p JOIN agents a ON a.id = p.agent_id "
        "WHERE a.email = 'a@example.org'";
    {
        auto agent = connect(token);
        ASSERT_EQ(call("POST", "/api/v1/queue/claim-next", token).status, 200);
        agent.next("offer");
        // Connected: the console keeps the agent present however long it stays.
        advance(std::chrono::seconds(15));
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        EXPECT_TRUE(eventually(presence, "offered"));
        agent.ws->close();
        EXPECT_EQ(agent.close_code(), 1000);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (nodes_.front()->events->connection_count() > 1 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_EQ(nodes_.front()->events->connection_count(), 1u);  // the supervisor's
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_TRUE(eventually(presence, "offered"));  // within the grace period

    advance(std::chrono::seconds(11));
    EXPECT_TRUE(eventually(presence, "offline"));
    EXPECT_TRUE(
        eventually("SELECT state::text FROM queue_entries WHERE id = '" + entry + "'", "waiting"));
    EXPECT_FALSE(supervisor.next("presence.changed", "state", "offline").is_null());
}

TEST_F(EventsTest, EndedCallReachesBothEndsAndWrapUpEndsOnTime) {
    auto world = make_world("NIC", "EMP");
    auto booth_token = enroll(world.site_id);
    auto token = available_agent("a@example.org", {world.site_id}, world.service_id);
    auto agent = connect(token);
    auto booth = connect(booth_token);
    auto entry = walk_in(booth_token, world.service_id)["queue_entry_id"].get<std::string>();
    ASSERT_EQ(call("POST", "/api/v1/queue/claim-next", token).status, 200);
    auto accepted = call("POST", "/api/v1/queue/" + entry + "/accept", token);
    ASSERT_EQ(accepted.status, 201) << accepted.raw;
    auto session_id = accepted.body["session_id"].get<std::string>();
    booth.next("session.ready");

    advance(std::chrono::seconds(300));
    auto ended = call("POST", "/api/v1/sessions/" + session_id + "/end", token,
                      json{{"outcome", "served"}, {"notes", "private notes"}});
    ASSERT_EQ(ended.status / 100, 2) << ended.raw;
    auto for_agent = agent.next("session.ended");
    EXPECT_EQ(for_agent["session_id"], session_id);
    EXPECT_EQ(for_agent["outcome"], "served");
    EXPECT_FALSE(for_agent.contains("notes"));
    auto for_booth = booth.next("session.ended");
    EXPECT_EQ(for_booth["session_id"], session_id);
    EXPECT_FALSE(for_booth.contains("outcome"));
    EXPECT_FALSE(booth.next("booth.state", "state", "idle").is_null());
    EXPECT_FALSE(agent.next("presence.changed", "state", "wrap_up").is_null());

    advance(ctx_->options.wrap_up + std::chrono::seconds(1));
    EXPECT_FALSE(agent.next("presence.changed", "state", "available").is_null());
}

TEST_F(EventsTest, PushedOffersReachTheAgentFromTheTimers) {
    ctx_->options.auto_offer = true;
    auto world = make_world("NIC", "EMP");
    auto booth_token = enroll(world.site_id);
    auto token = available_agent("a@example.org", {world.site_id}, world.service_id);
    auto agent = connect(token);
    auto entry = walk_in(booth_token, world.service_id)["queue_entry_id"].get<std::string>();
    auto offer = agent.next("offer");  // nobody claimed: the housekeeping tick offered it
    EXPECT_EQ(offer["queue_entry_id"], entry);
    EXPECT_FALSE(agent.next("presence.changed", "state", "offered").is_null());
    ASSERT_EQ(call("POST", "/api/v1/queue/" + entry + "/accept", token).status, 201);
    agent.next("session.ready");
}

}  // namespace vg::test
