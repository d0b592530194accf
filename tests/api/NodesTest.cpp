// Several nodes on one database, seen through the REST API: GET /nodes, and a join on any node
// answering the signaling URL of the node that hosts the call session (CONTRACT.md "Several
// nodes on one database"). The nodes are heartbeats written here, as their processes would.
#include "api/ApiFixture.hpp"
#include "desk/ApiKeys.hpp"
#include "desk/NodeRegistry.hpp"
#include "domain/JoinToken.hpp"

namespace vg::test {

using nlohmann::json;

class NodesTest : public ApiTest {
  protected:
    void beat(const std::string& name, bool draining = false) {
        desk::NodeRegistry::heartbeat(
            sql(),
            {name, "http://" + name + ":8080", "ws://" + name + ":8080/rtc/v1", "198.18.0.1",
             "test", std::chrono::seconds(6)},
            {1, 2, 0.25}, draining, true);
    }
    void lose(const std::string& name) {
        sql().exec(
            "UPDATE nodes SET lease_until = clock_timestamp() - interval '1 second' "
            "WHERE name = $1",
            {name});
    }
    // A walk-in accepted by the site's agent: the call session, placed when it starts.
    std::string start_call() {
        auto site = make_site("NIC")["id"].get<std::string>();
        auto service = make_service("EMP", 30)["id"].get<std::string>();
        booth_ = enroll(site);
        make_agent("ana@example.org", {"agent"}, json::array({site}), json::array({service}));
        agent_ = login("ana@example.org");
        auto walked = call("POST", "/api/v1/booth/walk-in", booth_,
                           json{{"service_id", service}, {"language", "fr"}});
        EXPECT_EQ(walked.status, 201) << walked.raw;
        call("PUT", "/api/v1/agents/me/presence", agent_, json{{"state", "available"}});
        EXPECT_EQ(call("POST", "/api/v1/queue/claim-next", agent_).status, 200);
        auto accepted = call(
            "POST", "/api/v1/queue/" + walked.body["queue_entry_id"].get<std::string>() + "/accept",
            agent_);
        EXPECT_EQ(accepted.status, 201) << accepted.raw;
        return accepted.body["session_id"];
    }
    std::string token_node(const Reply& join) {
        auto claims = domain::JoinToken::verify(desk::load_join_token_key(sql()),
                                                join.body["join_token"].get<std::string>(), 0);
        return claims ? claims->node : "(invalid)";
    }
    std::string booth_, agent_;
};

TEST_F(NodesTest, AdminsSeeEveryNodeWithItsStateAndLoad) {
    beat("node-a");
    beat("node-b", true);
    beat("node-c");
    lose("node-c");
    auto listed = call("GET", "/api/v1/nodes", admin_);
    ASSERT_EQ(listed.status, 200) << listed.raw;
    auto nodes = listed.body["nodes"];
    ASSERT_EQ(nodes.size(), 3u);
    EXPECT_EQ(nodes[0]["name"], "node-a");
    EXPECT_EQ(nodes[0]["state"], "active");
    EXPECT_EQ(nodes[0]["public_url"], "http://node-a:8080");
    EXPECT_EQ(nodes[0]["call_sessions"], 1);
    EXPECT_EQ(nodes[0]["participants"], 2);
    EXPECT_TRUE(nodes[0]["last_seen_at"].is_string());
    EXPECT_EQ(nodes[1]["state"], "draining");
    EXPECT_EQ(nodes[2]["state"], "lost");
    EXPECT_EQ(call("GET", "/api/v1/nodes", new_key("supervisor")).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/nodes").status, 401);
}

TEST_F(NodesTest, JoinOnAnyNodeAnswersTheHostAndMovesACallOffALostHost) {
    beat("node-a");
    auto session = start_call();
    // This in-process server is "node-z" (not in the table): it still answers node-a's URL.
    ctx_->web.node_name = "node-z";
    auto join = call("POST", "/api/v1/sessions/" + session + "/join", booth_);
    ASSERT_EQ(join.status, 200) << join.raw;
    EXPECT_EQ(join.body["signaling_url"], "ws://node-a:8080/rtc/v1");
    EXPECT_EQ(token_node(join), "node-a");

    beat("node-b");
    lose("node-a");
    join = call("POST", "/api/v1/sessions/" + session + "/join", agent_);
    ASSERT_EQ(join.status, 200) << join.raw;
    EXPECT_EQ(join.body["signaling_url"], "ws://node-b:8080/rtc/v1");
    EXPECT_EQ(token_node(join), "node-b");
    // The booth, asking after it, is sent to the same node.
    join = call("POST", "/api/v1/sessions/" + session + "/join", booth_);
    EXPECT_EQ(join.body["signaling_url"], "ws://node-b:8080/rtc/v1");

    // Every node lost and this one draining: nowhere to go, and the caller is told to retry.
    lose("node-b");
    ctx_->web.draining = [] { return true; };
    join = call("POST", "/api/v1/sessions/" + session + "/join", booth_);
    EXPECT_EQ(join.status, 503);
    EXPECT_FALSE(join.header("Retry-After").empty());
}

}  // namespace vg::test
