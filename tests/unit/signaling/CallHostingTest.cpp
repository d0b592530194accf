// One call session, one node: a node admits only join tokens that name it, and a draining node
// sends its participants elsewhere (CONTRACT.md "Several nodes on one database").
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "signaling/CallSignaling.hpp"
#include "unit/signaling/Fakes.hpp"

namespace vg::signaling {
namespace {

using nlohmann::json;
using test::FakeConnection;
using test::FakeMedia;

class CallHostingTest : public ::testing::Test {
  protected:
    struct Client {
        std::shared_ptr<FakeConnection> connection;
        std::shared_ptr<http::WebSocketPeer> peer;
        const json& last() const { return connection->sent.back(); }
    };

    static constexpr std::int64_t kFarFuture = 4102444800;  // 2100: never expired here

    CallHostingTest() {
        tokens["booth-here"] = {"session-1", "booth", "booth-7", kFarFuture, "node-a"};
        tokens["agent-here"] = {"session-1", "agent", "agent-3", kFarFuture, "node-a"};
        tokens["agent-elsewhere"] = {"session-2", "agent", "agent-4", kFarFuture, "node-b"};
        tokens["booth-late"] = {"session-1", "booth", "booth-7", kFarFuture, "node-a"};
        tokens["booth-unplaced"] = {"session-3", "booth", "booth-9", kFarFuture, ""};
    }

    Client join(const std::string& token) {
        Client client{std::make_shared<FakeConnection>(), nullptr};
        client.peer = signaling.open(client.connection);
        client.peer->on_message(json{{"type", "join"}, {"join_token", token}}.dump());
        return client;
    }

    std::map<std::string, JoinClaims> tokens;
    FakeMedia media;
    CallSignalingOptions options{std::chrono::milliseconds(5000), 64 * 1024, 4, 100000, "node-a"};
    CallSignaling signaling{media,
                            [this](const std::string& token) -> std::optional<JoinClaims> {
                                auto found = tokens.find(token);
                                if (found == tokens.end()) return std::nullopt;
                                return found->second;
                            },
                            [](std::chrono::milliseconds, std::function<void()>) {}, options};
};

TEST_F(CallHostingTest, JoinForACallHostedHereIsAdmitted) {
    auto booth = join("booth-here");
    EXPECT_EQ(booth.last()["type"], "joined");
    EXPECT_EQ(booth.connection->close_code, 0);
    EXPECT_EQ(signaling.participant_count(), 1u);
    EXPECT_EQ(signaling.call_count(), 1u);
}

TEST_F(CallHostingTest, JoinForACallHostedByAnotherNodeIsClosedWith4421) {
    auto agent = join("agent-elsewhere");
    EXPECT_EQ(agent.last()["type"], "error");
    EXPECT_EQ(agent.last()["code"], "other_node");
    EXPECT_EQ(agent.connection->close_code, 4421);
    EXPECT_EQ(agent.connection->of_type("joined").size(), 0u);
    // A token of a node that has no name (not registered) is not this node's either.
    auto booth = join("booth-unplaced");
    EXPECT_EQ(booth.connection->close_code, 4421);
    EXPECT_EQ(signaling.participant_count(), 0u);
    EXPECT_TRUE(media.created.empty());
}

TEST_F(CallHostingTest, DrainSaysMovedToEveryoneAndRefusesLaterJoins) {
    auto booth = join("booth-here");
    auto agent = join("agent-here");
    signaling.drain();
    EXPECT_EQ(booth.last(), (json{{"type", "bye"}, {"reason", "moved"}}));
    EXPECT_EQ(agent.last(), (json{{"type", "bye"}, {"reason", "moved"}}));
    EXPECT_EQ(booth.connection->close_code, 1000);
    EXPECT_EQ(media.removed.size(), 2u);
    EXPECT_EQ(signaling.participant_count(), 0u);
    EXPECT_EQ(signaling.call_count(), 0u);

    // A token issued just before the drain was recorded still names this node: refused, so the
    // client asks POST /sessions/{id}/join again and is placed on another node. (A new token:
    // "booth-here" was used once, and join tokens are single-use.)
    auto late = join("booth-late");
    EXPECT_EQ(late.last()["code"], "other_node");
    EXPECT_EQ(late.connection->close_code, 4421);
    EXPECT_EQ(signaling.participant_count(), 0u);
}

}  // namespace
}  // namespace vg::signaling
