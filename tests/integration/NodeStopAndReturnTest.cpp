// A node leaving and a node coming back, through the real server binaries on one database
// (CONTRACT.md "Several nodes on one database"):
//   - from SIGTERM on, /readyz answers 503 so that a load balancer stops sending the node new
//     requests while it drains; /healthz stays 200 (the process is alive);
//   - a node that was lost (here stopped with SIGSTOP) while its call was placed on another node
//     does not keep serving that call when it heartbeats again: its participants hear bye
//     "moved" and join the node that hosts the call now.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "db/Connection.hpp"
#include "integration/ServerProcess.hpp"
#include "integration/faults/RestClient.hpp"
#include "support/HttpClient.hpp"
#include "support/TestDatabase.hpp"
#include "support/WebSocketClient.hpp"

namespace vg::test {
namespace {

using faults::RestClient;
using nlohmann::json;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

const std::string kAdminKey = "bootstrap-key-for-the-node-stop-test-0123456789";

long long ms_since(SteadyClock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start)
        .count();
}

HttpResponse get(const ServerProcess& server, const std::string& path) {
    return http_request("GET", "127.0.0.1", server.http_port(), path);
}

std::string one(const std::string& url, const std::string& sql) {
    db::Connection db(url);
    auto rows = db.exec(sql);
    return rows.rows() == 1 ? std::string(rows.get(0, 0)) : "<no row>";
}

// Polls until the SQL answers `expected` (at most `within`).
bool eventually(const std::string& url, const std::string& sql, const std::string& expected,
                std::chrono::milliseconds within) {
    auto deadline = SteadyClock::now() + within;
    while (SteadyClock::now() < deadline) {
        if (one(url, sql) == expected) return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

TEST(NodeStop, ReadinessAnswers503FromSigtermWhileTheNodeDrains) {
    TestDatabase database;
    ServerProcess server(database.url(), {{"VISIOGUICHET_NODE_NAME", "node-drains"}});
    ASSERT_EQ(get(server, "/readyz").status, 200) << server.output();
    ASSERT_TRUE(eventually(database.url(),
                           "SELECT vg_node_state(nodes) FROM nodes WHERE name = 'node-drains'",
                           "active", 5s));

    // Holding the node's row holds the drain where it waits (up to 3 s) for its "draining"
    // heartbeat to reach the database, and then the exit, which waits for the heartbeat thread.
    db::Connection holder(database.url());
    holder.exec("BEGIN");
    holder.exec("SELECT 1 FROM nodes WHERE name = 'node-drains' FOR UPDATE");
    server.signal(SIGTERM);
    HttpResponse ready;
    auto deadline = SteadyClock::now() + 3s;
    do {
        ready = get(server, "/readyz");
        if (ready.status != 200) break;
        std::this_thread::sleep_for(20ms);
    } while (SteadyClock::now() < deadline);
    EXPECT_EQ(ready.status, 503) << ready.body;
    EXPECT_EQ(ready.header("Content-Type"), "application/problem+json");
    EXPECT_NE(ready.body.find("draining"), std::string::npos) << ready.body;
    EXPECT_FALSE(ready.header("Retry-After").empty());
    // Still draining a second later: not ready, yet alive, on both listeners.
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(get(server, "/readyz").status, 503);
    EXPECT_EQ(get(server, "/healthz").status, 200);
    EXPECT_EQ(http_request("GET", "127.0.0.1", server.admin_port(), "/readyz").status, 503);

    holder.exec("ROLLBACK");
    auto status = server.wait_exit(15s);
    ASSERT_TRUE(status.has_value()) << "still running 15 s after the drain could end\n"
                                    << server.output();
    EXPECT_EQ(*status, 0) << server.output();
}

// One participant's signaling connection, joined.
struct Joined {
    std::unique_ptr<WebSocketClient> ws;
    json answer;  // of POST /sessions/{id}/join
};

Joined join(const RestClient& rest, const std::string& session, const std::string& credential) {
    Joined joined;
    joined.answer = rest.expect(200, "POST", "/sessions/" + session + "/join", credential);
    auto url = joined.answer.value("signaling_url", "");
    // ws://127.0.0.1:PORT/rtc/v1: the node that hosts the call, whichever node answered.
    auto port_at = url.rfind(':');
    auto port = static_cast<std::uint16_t>(std::stoi(url.substr(port_at + 1)));
    joined.ws = std::make_unique<WebSocketClient>("127.0.0.1", port, "/rtc/v1");
    joined.ws->send_text(
        json{{"type", "join"}, {"join_token", joined.answer["join_token"]}}.dump());
    auto first = json::parse(joined.ws->receive_text(), nullptr, false);
    EXPECT_EQ(first.value("type", ""), "joined") << first.dump() << " from " << url;
    return joined;
}

// The next bye on ws, skipping other messages (participant events), within the client's timeout.
json next_bye(WebSocketClient& ws) {
    for (int i = 0; i < 10; ++i) {
        auto message = ws.receive();
        if (message.opcode == WebSocketClient::Close) {
            ADD_FAILURE() << "closed (" << message.close_code() << ") before a bye";
            return nullptr;
        }
        if (message.opcode != WebSocketClient::Text) continue;
        auto parsed = json::parse(message.payload, nullptr, false);
        if (parsed.value("type", "") == "bye") return parsed;
    }
    return nullptr;
}

TEST(NodeReturn, ALostNodeThatHeartbeatsAgainLetsGoOfTheCallPlacedElsewhere) {
    TestDatabase database(TestDatabase::Schema::Empty);
    const auto& url = database.url();
    ServerProcess a(url, {{"VISIOGUICHET_BOOTSTRAP_ADMIN_KEY", kAdminKey},
                          {"VISIOGUICHET_NODE_NAME", "node-a"},
                          {"VISIOGUICHET_NODE_LOST_SECONDS", "2"}});
    RestClient rest_a(a.http_port());
    auto world = faults::make_world(rest_a, kAdminKey, "R");
    rest_a.expect(200, "PUT", "/agents/me/presence", world.agent_token, {{"state", "available"}});
    auto entry = rest_a
                     .expect(201, "POST", "/booth/walk-in", world.booth_token,
                             {{"service_id", world.service_id}, {"language", "fr"}})
                     .value("queue_entry_id", "");
    rest_a.expect(200, "POST", "/queue/claim-next", world.agent_token);
    auto session = rest_a.expect(201, "POST", "/queue/" + entry + "/accept", world.agent_token)
                       .value("session_id", "");
    ASSERT_FALSE(session.empty());
    const std::string host_sql = "SELECT node_name FROM call_sessions WHERE id = '" + session + "'";
    ASSERT_EQ(one(url, host_sql), "node-a");  // the only node when the call started
    auto booth = join(rest_a, session, world.booth_token);
    auto agent = join(rest_a, session, world.agent_token);

    ServerProcess b(
        url, {{"VISIOGUICHET_NODE_NAME", "node-b"}, {"VISIOGUICHET_NODE_LOST_SECONDS", "2"}});
    RestClient rest_b(b.http_port());
    auto node_a_is = [&url](const std::string& state, std::chrono::seconds within) {
        return eventually(url, "SELECT vg_node_state(nodes) FROM nodes WHERE name = 'node-a'",
                          state, within);
    };
    // A join answered with node B's signaling URL, the call recorded on node B.
    auto sent_to_b = [&](const Joined& joined) {
        EXPECT_EQ(joined.answer.value("signaling_url", ""),
                  "ws://127.0.0.1:" + std::to_string(b.http_port()) + "/rtc/v1");
        EXPECT_EQ(one(url, host_sql), "node-b");
    };
    // Node A stops answering anything (a frozen VM, a long pause) and is lost.
    a.signal(SIGSTOP);
    ASSERT_TRUE(node_a_is("lost", 10s));
    // The booth's connection dropped on its side: it joins again through node B, which
    // places the call on itself.
    sent_to_b(join(rest_b, session, world.booth_token));

    // Node A wakes up and heartbeats: the call's participants still connected to it are told
    // to move, not served there any more.
    auto woke = SteadyClock::now();
    a.signal(SIGCONT);
    auto bye = next_bye(*agent.ws);
    EXPECT_EQ(bye, (json{{"type", "bye"}, {"reason", "moved"}}));
    std::cout << "node A let go of the call " << ms_since(woke) << " ms after it woke\n";
    EXPECT_EQ(next_bye(*booth.ws), (json{{"type", "bye"}, {"reason", "moved"}}));
    EXPECT_TRUE(node_a_is("active", 5s));
    // The agent follows the client rule: its join through node A sends it to node B, where the
    // booth is.
    sent_to_b(join(rest_a, session, world.agent_token));
    EXPECT_NE(a.output().find("was placed on another node"), std::string::npos) << a.output();
}

}  // namespace
}  // namespace vg::test
