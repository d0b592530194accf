// /api/v1/events through a real HTTP server and PostgreSQL: the hello, the snapshot, and the
// pushes that follow committed changes, each only to whom may see it.
#include "api/events/EventsFixture.hpp"

namespace vg::test {

using nlohmann::json;

TEST_F(EventsTest, NoHelloInTimeCloses4401) {
    auto ws = open();
    auto started = std::chrono::steady_clock::now();
    LiveClient client{std::move(ws), {}, {}, {}};
    EXPECT_EQ(client.close_code(), 4401);
    // Not before the deadline (which the server armed just before the handshake ended).
    EXPECT_GE(std::chrono::steady_clock::now() - started,
              options_.hello_timeout - std::chrono::milliseconds(50));
}

TEST_F(EventsTest, BadOrMissingTokenCloses4401) {
    for (const json& hello : {json{{"type", "hello"}, {"token", "not-a-token"}},
                              json{{"type", "hello"}}, json{{"type", "hello"}, {"token", 42}}}) {
        LiveClient client{open(), {}, {}, {}};
        client.ws->send_text(hello.dump());
        auto error = client.next();
        EXPECT_EQ(error["type"], "error");
        EXPECT_EQ(error["code"], "unauthorized");
        EXPECT_EQ(client.close_code(), 4401) << hello.dump();
    }
}

TEST_F(EventsTest, SchedulerKeyHasNoLiveView) {
    LiveClient client{open(), {}, {}, {}};
    client.ws->send_text(json{{"type", "hello"}, {"token", new_key("scheduler")}}.dump());
    EXPECT_EQ(client.next()["code"], "forbidden");
    EXPECT_EQ(client.close_code(), 4403);
}

TEST_F(EventsTest, MalformedMessagesGetErrorsAndPingGetsPong) {
    LiveClient client{open(), {}, {}, {}};
    client.ws->send_text("{\"type\":\"ping\"}");
    EXPECT_EQ(client.next()["type"], "pong");
    client.ws->send_text("{\"type\":\"subscribe\"}");
    EXPECT_EQ(client.next()["code"], "not_authenticated");

    auto world = make_world("NIC", "EMP");
    auto agent = available_agent("a@example.org", {world.site_id}, world.service_id);
    auto live = connect(agent);
    live.ws->send_text("not json");
    EXPECT_EQ(live.next("error")["code"], "bad_json");
    live.ws->send_text("[1,2]");
    EXPECT_EQ(live.next("error")["code"], "bad_json");
    live.ws->send_text("{\"kind\":\"hello\"}");
    EXPECT_EQ(live.next("error")["code"], "bad_message");
    live.ws->send_text("{\"type\":\"subscribe\"}");
    EXPECT_EQ(live.next("error")["code"], "unknown_type");
    live.ws->send_text(json{{"type", "hello"}, {"token", agent}}.dump());
    EXPECT_EQ(live.next("error")["code"], "already_authenticated");
    live.ws->send_text(json{{"type", "ping"}, {"pad", std::string(8000, 'x')}}.dump());
    EXPECT_EQ(live.next("error")["code"], "too_large");
    live.ws->send_text("{\"type\":\"ping\"}");
    EXPECT_EQ(live.next("pong")["type"], "pong");  // still open after all that
}

TEST_F(EventsTest, AgentGetsSnapshotThenQueueChangesOfTheirSitesOnly) {
    auto north = make_world("NORD", "EMP");
    auto south = make_site("SUD")["id"].get<std::string>();
    auto booth_north = enroll(north.site_id);
    auto booth_south = enroll(south);
    walk_in(booth_north, north.service_id);  // already waiting before the agent connects

    auto token = available_agent("a@example.org", {north.site_id}, north.service_id);
    auto agent = connect(token);
    EXPECT_EQ(agent.hello["principal"]["kind"], "agent");
    EXPECT_EQ(agent.hello["principal"]["site_ids"], json::array({north.site_id}));
    const auto& snapshot = agent.snapshot;
    EXPECT_EQ(snapshot["presence"]["state"], "available");
    EXPECT_TRUE(snapshot["offer"].is_null());
    ASSERT_EQ(snapshot["queues"].size(), 1u) << snapshot.dump();
    EXPECT_EQ(snapshot["queues"][0]["site_id"], north.site_id);
    ASSERT_EQ(snapshot["queues"][0]["entries"].size(), 1u);
    EXPECT_EQ(snapshot["queues"][0]["entries"][0]["position"], 1);
    EXPECT_FALSE(snapshot.contains("agents"));  // not a supervisor

    // A check-in at a site the agent does not cover, then one at theirs: only the second comes.
    walk_in(booth_south, north.service_id);
    advance(std::chrono::seconds(1));
    auto second = enroll(north.site_id);
    walk_in(second, north.service_id);
    json changed;
    do {
        changed = agent.next("queue.changed");
        ASSERT_EQ(changed["site_id"], north.site_id) << changed.dump();
    } while (changed["entries"].size() < 2);
    EXPECT_EQ(changed["entries"][1]["position"], 2);
}

TEST_F(EventsTest, SupervisorKeySeesEverySiteAndEveryAgent) {
    auto north = make_world("NORD", "EMP");
    auto south = make_site("SUD")["id"].get<std::string>();
    available_agent("a@example.org", {north.site_id}, north.service_id);
    auto supervisor = connect(new_key("supervisor"));
    EXPECT_EQ(supervisor.hello["principal"]["kind"], "api_key");
    EXPECT_EQ(supervisor.snapshot["queues"].size(), 2u);
    ASSERT_EQ(supervisor.snapshot["agents"].size(), 1u);
    EXPECT_EQ(supervisor.snapshot["agents"][0]["state"], "available");

    auto booth = enroll(south);
    walk_in(booth, north.service_id);
    EXPECT_EQ(supervisor.next("queue.changed")["site_id"], south);
}

TEST_F(EventsTest, SupervisingAgentFollowsThePresenceOfTheirSitesAgentsOnly) {
    auto north = make_world("NORD", "EMP");
    auto south = make_site("SUD")["id"].get<std::string>();
    auto mine = available_agent("a@example.org", {north.site_id}, north.service_id);
    auto theirs = available_agent("b@example.org", {south}, north.service_id);
    auto supervisor = connect(available_agent("s@example.org", {north.site_id}, north.service_id,
                                              {"agent", "supervisor"}));
    ASSERT_EQ(supervisor.snapshot["agents"].size(), 2u);  // a and s, not b
    ASSERT_EQ(call("PUT", "/api/v1/agents/me/presence", theirs, json{{"state", "away"}}).status,
              200);
    ASSERT_EQ(call("PUT", "/api/v1/agents/me/presence", mine, json{{"state", "away"}}).status, 200);
    const auto a_id = call("GET", "/api/v1/agents/me", mine).body["id"];
    json change;
    do {
        change = supervisor.next("presence.changed");
        ASSERT_TRUE(change["agent_id"] == a_id ||
                    change["agent_id"] == supervisor.hello["principal"]["id"])
            << change.dump();
    } while (change["agent_id"] != a_id || change["state"] != "away");
}

TEST_F(EventsTest, BoothSeesItsOwnPlaceOnly) {
    auto world = make_world("NIC", "EMP");
    auto first_token = enroll(world.site_id);
    auto second_token = enroll(world.site_id);
    auto first = connect(first_token);
    auto second = connect(second_token);
    EXPECT_EQ(first.hello["principal"]["kind"], "booth");
    EXPECT_EQ(first.snapshot["booth"], json({{"state", "idle"}})) << first.snapshot.dump();
    EXPECT_FALSE(first.snapshot.contains("queues"));

    auto mine = walk_in(first_token, world.service_id)["queue_entry_id"].get<std::string>();
    auto state = first.next("booth.state");
    EXPECT_EQ(state["state"], "waiting");
    EXPECT_EQ(state["queue_entry_id"], mine);
    EXPECT_EQ(state["position"], 1);

    advance(std::chrono::seconds(1));  // arrival decides the order
    auto theirs = walk_in(second_token, world.service_id)["queue_entry_id"].get<std::string>();
    state = second.next("booth.state");
    EXPECT_EQ(state["position"], 2);
    EXPECT_EQ(state["queue_entry_id"], theirs);
    // Exactly these fields: nothing about anyone else.
    std::set<std::string> keys;
    for (const auto& [key, value] : state.items()) keys.insert(key);
    EXPECT_EQ(keys, (std::set<std::string>{"type", "state", "queue_entry_id", "position",
                                           "estimated_wait_seconds"}));

    // The first citizen leaves: the second moves up; the first booth is idle again.
    ASSERT_EQ(call("POST", "/api/v1/booth/leave", first_token).status, 204);
    EXPECT_EQ(second.next("booth.state")["position"], 1);
    EXPECT_EQ(first.next("booth.state")["state"], "idle");
    // Nothing the first booth received named the other citizen's entry (its place did not
    // change when the second arrived, so it was told nothing then).
    first.ws->send_text("{\"type\":\"ping\"}");
    for (json message = first.next(); message["type"] != "pong"; message = first.next())
        EXPECT_EQ(message.dump().find(theirs), std::string::npos) << message.dump();
}

TEST_F(EventsTest, OfferReachesTheAgentAndSessionReadyBothEnds) {
    auto world = make_world("NIC", "EMP");
    auto booth_token = enroll(world.site_id);
    auto token = available_agent("a@example.org", {world.site_id}, world.service_id);
    auto other_token = available_agent("b@example.org", {world.site_id}, world.service_id);
    auto agent = connect(token);
    auto other = connect(other_token);
    auto booth = connect(booth_token);
    auto entry = walk_in(booth_token, world.service_id)["queue_entry_id"].get<std::string>();

    auto claimed = call("POST", "/api/v1/queue/claim-next", token);
    ASSERT_EQ(claimed.status, 200) << claimed.raw;
    auto offer = agent.next("offer");
    EXPECT_EQ(offer["queue_entry_id"], entry);
    EXPECT_EQ(offer["expires_at"], "2026-11-30T12:00:20Z");

    auto accepted = call("POST", "/api/v1/queue/" + entry + "/accept", token);
    ASSERT_EQ(accepted.status, 201) << accepted.raw;
    auto session_id = accepted.body["session_id"].get<std::string>();
    auto ready = agent.next("session.ready");
    EXPECT_EQ(ready["session_id"], session_id);
    EXPECT_EQ(ready["queue_entry_id"], entry);
    auto booth_ready = booth.next("session.ready");
    EXPECT_EQ(booth_ready, json({{"type", "session.ready"}, {"session_id", session_id}}));
    auto in_call = booth.next("booth.state", "state", "in_call");
    EXPECT_EQ(in_call["state"], "in_call");
    EXPECT_EQ(in_call["session_id"], session_id);

    // The other agent saw the queue move, never the offer nor the session.
    other.ws->send_text("{\"type\":\"ping\"}");
    for (json message = other.next(); message["type"] != "pong"; message = other.next()) {
        EXPECT_NE(message["type"], "offer");
        EXPECT_NE(message["type"], "session.ready");
    }

    // The agent reconnects: the call is in the snapshot.
    auto again = connect(token);
    EXPECT_EQ(again.snapshot["presence"]["state"], "in_call");
    ASSERT_EQ(again.snapshot["sessions"].size(), 1u);
    EXPECT_EQ(again.snapshot["sessions"][0]["session_id"], session_id);
}

TEST_F(EventsTest, TwoServersOnOneDatabasePushTheSameEvents) {
    auto& second_node = start_node();
    auto world = make_world("NIC", "EMP");
    auto token = available_agent("a@example.org", {world.site_id}, world.service_id);
    auto on_first = connect(token);
    auto on_second = connect(token, &second_node);
    auto booth = enroll(world.site_id);
    auto entry = walk_in(booth, world.service_id)["queue_entry_id"].get<std::string>();
    auto a = on_first.next("queue.changed");
    auto b = on_second.next("queue.changed");
    EXPECT_EQ(a, b);
    ASSERT_EQ(a["entries"].size(), 1u);
    EXPECT_EQ(a["entries"][0]["id"], entry);
}

TEST_F(EventsTest, RevokedBoothIsDisconnected) {
    auto world = make_world("NIC", "EMP");
    auto booth = make_booth(world.site_id);
    auto enrolled = call("POST", "/api/v1/booth/enroll", "",
                         json{{"enrollment_token", booth["enrollment_token"]}});
    ASSERT_EQ(enrolled.status, 200);
    auto live = connect(enrolled.body["booth_token"].get<std::string>());
    // Online while connected: its last_seen_at follows the clock.
    advance(std::chrono::seconds(7));
    EXPECT_TRUE(eventually("SELECT vg_time(last_seen_at) FROM booths WHERE id = '" +
                               booth["id"].get<std::string>() + "'",
                           "2026-11-30T12:00:07Z"));
    ASSERT_EQ(call("DELETE", "/api/v1/booths/" + booth["id"].get<std::string>(), admin_).status,
              204);
    EXPECT_EQ(live.close_code(), 4401);
}

}  // namespace vg::test

namespace vg::test {

TEST_F(EventsTest, ClientsGetAFreshSnapshotWhenListeningResumes) {
    auto world = make_world("NIC", "EMP");
    auto token = available_agent("a@example.org", {world.site_id}, world.service_id);
    auto agent = connect(token);
    walk_in(enroll(world.site_id), world.service_id);
    json changed;
    do {
        changed = agent.next("queue.changed");
    } while (changed["entries"].size() != 1);
    // A change whose notification is lost (none is sent here), then the LISTEN connection is cut.
    sql().exec("UPDATE queue_entries SET state = 'abandoned', abandoned_at = now()");
    auto cut = sql().exec(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND query LIKE 'LISTEN%'");
    ASSERT_EQ(cut.get(0, 0), "1");
    auto snapshot = agent.next("snapshot");
    EXPECT_EQ(snapshot["presence"]["state"], "available");
    ASSERT_EQ(snapshot["queues"].size(), 1u);
    EXPECT_EQ(snapshot["queues"][0]["entries"].size(), 0u) << snapshot.dump();
}

}  // namespace vg::test

namespace vg::test {

TEST_F(EventsTest, HelloWhileTheDatabaseIsUnreachableClosesTryAgainLater) {
    EventsNode node;
    db::PoolOptions unreachable{"postgresql://postgres@127.0.0.1:1/nowhere", 1};
    unreachable.connect_timeout_seconds = 1;
    node.pool = std::make_unique<db::Pool>(unreachable);
    http::ServerOptions server_options;
    server_options.port = 0;
    node.server = std::make_unique<http::Server>(server_options, router_, node.metrics);
    auto options = options_;
    options.conninfo = unreachable.conninfo;
    start_events(node, options);

    LiveClient client{open(&node), {}, {}, {}};
    client.ws->send_text(json{{"type", "hello"}, {"token", admin_}}.dump());
    EXPECT_EQ(client.next("error")["code"], "unavailable");
    EXPECT_EQ(client.close_code(), 1013);
    node.stop();
}

}  // namespace vg::test
