// Calls follow the database (issue 14 item 4, CONTRACT.md "Credentials after creation"), through
// the real server: a call session that ends, or whose booth is revoked, says bye (reason
// session_ended) to its participants within a second; a join token admits one join; a booth
// trades its credential for a new one and the old one stops working.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "integration/ServerProcess.hpp"
#include "integration/faults/RestClient.hpp"
#include "support/TestDatabase.hpp"
#include "support/WebSocketClient.hpp"

namespace vg::test {
namespace {

using faults::RestClient;
using faults::World;
using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

const std::string kAdminKey = "bootstrap-key-for-the-call-end-test-0123456789";

long long ms_since(SteadyClock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start)
        .count();
}

class CallsFollowTheDatabase : public ::testing::Test {
  protected:
    void SetUp() override {
        database_ = std::make_unique<TestDatabase>(TestDatabase::Schema::Empty);
        server_ = std::make_unique<ServerProcess>(
            database_->url(),
            std::map<std::string, std::string>{{"VISIOGUICHET_BOOTSTRAP_ADMIN_KEY", kAdminKey}});
        rest_ = std::make_unique<RestClient>(server_->http_port());
        world_ = faults::make_world(*rest_, kAdminKey, "E");
        // A walk-in citizen at the booth, taken by the agent.
        rest_->expect(200, "PUT", "/agents/me/presence", world_.agent_token,
                      {{"state", "available"}});
        auto entry = rest_
                         ->expect(201, "POST", "/booth/walk-in", world_.booth_token,
                                  {{"service_id", world_.service_id}, {"language", "fr"}})
                         .value("queue_entry_id", "");
        rest_->expect(200, "POST", "/queue/claim-next", world_.agent_token);
        session_ = rest_->expect(201, "POST", "/queue/" + entry + "/accept", world_.agent_token)
                       .value("session_id", "");
        ASSERT_FALSE(session_.empty());
    }

    std::string join_token(const std::string& credential) {
        return rest_->expect(200, "POST", "/sessions/" + session_ + "/join", credential)
            .value("join_token", "");
    }
    // A signaling connection that sent its join; the server's first answer.
    std::unique_ptr<WebSocketClient> join(const std::string& token, json* answer) {
        auto ws = std::make_unique<WebSocketClient>("127.0.0.1", server_->http_port(), "/rtc/v1");
        ws->send_text(json{{"type", "join"}, {"join_token", token}}.dump());
        *answer = json::parse(ws->receive_text(), nullptr, false);
        return ws;
    }
    // The booth, then the agent, joined to the call.
    void join_both(std::unique_ptr<WebSocketClient>& booth,
                   std::unique_ptr<WebSocketClient>& agent) {
        json answer;
        booth = join(join_token(world_.booth_token), &answer);
        ASSERT_EQ(answer.value("type", ""), "joined") << answer.dump();
        agent = join(join_token(world_.agent_token), &answer);
        ASSERT_EQ(answer.value("type", ""), "joined") << answer.dump();
    }
    // The next bye on ws, skipping other messages (participant events).
    static json next_bye(WebSocketClient& ws) {
        for (int i = 0; i < 10; ++i) {
            auto message = ws.receive();
            if (message.opcode == WebSocketClient::Close) {
                ADD_FAILURE() << "closed (" << message.close_code() << ") before a bye";
                return nullptr;
            }
            if (message.opcode != WebSocketClient::Text) continue;  // a ping
            auto parsed = json::parse(message.payload, nullptr, false);
            if (parsed.value("type", "") == "bye") return parsed;
            std::cout << "before the bye: " << message.payload << "\n";
        }
        return nullptr;
    }

    std::unique_ptr<TestDatabase> database_;
    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<RestClient> rest_;
    World world_;
    std::string session_;
};

TEST_F(CallsFollowTheDatabase, AnEndedSessionSaysByeToBothSidesWithinOneSecond) {
    std::unique_ptr<WebSocketClient> booth, agent;
    ASSERT_NO_FATAL_FAILURE(join_both(booth, agent));
    auto started = SteadyClock::now();
    rest_->expect(200, "POST", "/sessions/" + session_ + "/end", world_.agent_token,
                  {{"outcome", "served"}});
    auto to_booth = next_bye(*booth);
    auto booth_ms = ms_since(started);
    auto to_agent = next_bye(*agent);
    auto agent_ms = ms_since(started);
    std::cout << "bye after the end: booth " << booth_ms << " ms, agent " << agent_ms << " ms\n";
    EXPECT_EQ(to_booth, (json{{"type", "bye"}, {"reason", "session_ended"}}));
    EXPECT_EQ(to_agent, (json{{"type", "bye"}, {"reason", "session_ended"}}));
    EXPECT_LT(agent_ms, 1000);
    // The connection closes behind the bye.
    auto closing = booth->receive();
    EXPECT_EQ(closing.opcode, WebSocketClient::Close);
    // And a join token is no longer issued for it.
    EXPECT_EQ(rest_->call("POST", "/sessions/" + session_ + "/join", world_.booth_token).status,
              409);
}

TEST_F(CallsFollowTheDatabase, ARevokedBoothsCallEndsWithinOneSecond) {
    std::unique_ptr<WebSocketClient> booth, agent;
    ASSERT_NO_FATAL_FAILURE(join_both(booth, agent));
    auto started = SteadyClock::now();
    ASSERT_EQ(rest_->call("DELETE", "/booths/" + world_.booth_id, kAdminKey).status, 204);
    auto to_agent = next_bye(*agent);
    auto to_booth = next_bye(*booth);
    auto took = ms_since(started);
    std::cout << "bye after the booth's revocation: " << took << " ms\n";
    EXPECT_EQ(to_agent, (json{{"type", "bye"}, {"reason", "session_ended"}}));
    EXPECT_EQ(to_booth, (json{{"type", "bye"}, {"reason", "session_ended"}}));
    EXPECT_LT(took, 1000);
}

TEST_F(CallsFollowTheDatabase, AJoinTokenAdmitsOneJoin) {
    auto token = join_token(world_.booth_token);
    json answer;
    auto first = join(token, &answer);
    ASSERT_EQ(answer.value("type", ""), "joined") << answer.dump();
    // The same token again (copied from the kiosk, or replayed): refused, and the seat stays.
    json refused;
    auto second = join(token, &refused);
    EXPECT_EQ(refused.value("type", ""), "error") << refused.dump();
    EXPECT_EQ(refused.value("code", ""), "unauthorized") << refused.dump();
    auto closing = second->receive();
    ASSERT_EQ(closing.opcode, WebSocketClient::Close);
    EXPECT_EQ(closing.close_code(), 4401);
    // The first connection still holds the booth's seat: the agent is told of it.
    auto agent = join(join_token(world_.agent_token), &answer);
    ASSERT_EQ(answer.value("type", ""), "joined") << answer.dump();
    auto told = json::parse(first->receive_text(), nullptr, false);
    EXPECT_EQ(told, (json{{"type", "participant"}, {"event", "joined"}, {"role", "agent"}}));
}

TEST_F(CallsFollowTheDatabase, ABoothRotatesItsCredential) {
    auto rotated = rest_->expect(200, "POST", "/booth/rotate-token", world_.booth_token);
    auto fresh = rotated.value("booth_token", "");
    ASSERT_FALSE(fresh.empty());
    EXPECT_NE(fresh, world_.booth_token);
    EXPECT_EQ(rest_->call("GET", "/booth/state", world_.booth_token).status, 401);
    EXPECT_EQ(rest_->call("GET", "/booth/state", fresh).status, 200);
    // A join token for the call with the new credential only.
    EXPECT_EQ(rest_->call("POST", "/sessions/" + session_ + "/join", world_.booth_token).status,
              401);
    EXPECT_EQ(rest_->call("POST", "/sessions/" + session_ + "/join", fresh).status, 200);
    // Only a booth rotates a booth credential.
    EXPECT_EQ(rest_->call("POST", "/booth/rotate-token", world_.agent_token).status, 403);
}

}  // namespace
}  // namespace vg::test
