// One /rtc/v1 peer on its own, handed a hub of the test's: what the participant's browser sees
// and what the peer asks of its hub, without CallSignaling.
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "signaling/CallPeer.hpp"
#include "unit/signaling/Fakes.hpp"

namespace vg::signaling {
namespace {

using nlohmann::json;
using test::FakeConnection;
using test::FakeMedia;

class TestHub : public CallHub {
  public:
    std::optional<JoinClaims> verify(const std::string& join_token) override {
        if (join_token == "unreachable") throw std::runtime_error("database down");
        auto found = tokens.find(join_token);
        if (found == tokens.end()) return std::nullopt;
        return found->second;
    }
    Admission admit(const std::shared_ptr<CallPeer>& /*peer*/, const std::string& participant_id,
                    const JoinClaims& claims) override {
        Admission admission;
        admission.admitted = !full;
        if (admission.admitted) {
            admitted[participant_id] = claims;
            admission.others = others;
        }
        return admission;
    }
    std::vector<Neighbour> forget(const std::string& participant_id) override {
        forgotten.push_back(participant_id);
        admitted.erase(participant_id);
        return {};
    }
    CallMedia& media() override { return sfu; }
    void schedule(std::chrono::milliseconds delay, std::function<void()> task) override {
        delays.push_back(delay);
        scheduled.push_back(std::move(task));
    }

    std::map<std::string, JoinClaims> tokens{{"booth-token", {"session-1", "booth", "booth-7"}},
                                             {"agent-token", {"session-1", "agent", "agent-3"}}};
    bool full = false;
    std::vector<Neighbour> others;
    std::map<std::string, JoinClaims> admitted;
    std::vector<std::string> forgotten;
    std::vector<std::chrono::milliseconds> delays;
    std::vector<std::function<void()>> scheduled;
    FakeMedia sfu;
};

class CallPeerTest : public ::testing::Test {
  protected:
    std::shared_ptr<CallPeer> open() {
        auto peer = std::make_shared<CallPeer>(hub, connection,
                                               CallPeerLimits{std::chrono::milliseconds(750), 512});
        peer->start();
        return peer;
    }
    void say(CallPeer& peer, const json& message) { peer.on_message(message.dump()); }

    TestHub hub;
    std::shared_ptr<FakeConnection> connection = std::make_shared<FakeConnection>();
};

TEST_F(CallPeerTest, SilentConnectionIsClosedAtTheHubsJoinDeadline) {
    auto peer = open();
    ASSERT_EQ(hub.delays, std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(750)});
    hub.scheduled.front()();
    EXPECT_EQ(connection->close_code, 4401);
    EXPECT_TRUE(hub.admitted.empty());
}

TEST_F(CallPeerTest, JoinWithATokenTheHubRefusesIsUnauthorized) {
    auto peer = open();
    say(*peer, {{"type", "join"}, {"join_token", "forged"}});
    EXPECT_EQ(connection->of_type("error").at(0)["code"], "unauthorized");
    EXPECT_EQ(connection->close_code, 4401);
    EXPECT_TRUE(hub.admitted.empty());
}

TEST_F(CallPeerTest, TokenThatCannotBeCheckedNowClosesAsServerError) {
    auto peer = open();
    say(*peer, {{"type", "join"}, {"join_token", "unreachable"}});
    EXPECT_EQ(connection->of_type("error").at(0)["code"], "unavailable");
    EXPECT_EQ(connection->close_code, 1011);
}

TEST_F(CallPeerTest, FullCallIsRefusedAndNothingReachesTheSfu) {
    hub.full = true;
    auto peer = open();
    say(*peer, {{"type", "join"}, {"join_token", "booth-token"}});
    EXPECT_EQ(connection->of_type("error").at(0)["code"], "call_full");
    EXPECT_EQ(connection->close_code, 4409);
    say(*peer, {{"type", "offer"}, {"sdp", "v=0 offer"}});
    EXPECT_TRUE(hub.sfu.created.empty());
}

TEST_F(CallPeerTest, JoinedPeerOffersToTheSfuAndLeavesTheHubWhenItsConnectionCloses) {
    auto peer = open();
    say(*peer, {{"type", "offer"}, {"sdp", "v=0 offer"}});
    EXPECT_EQ(connection->of_type("error").at(0)["code"], "not_joined");
    say(*peer, {{"type", "join"}, {"join_token", "booth-token"}});
    auto joined = connection->of_type("joined");
    ASSERT_EQ(joined.size(), 1u);
    EXPECT_EQ(joined[0]["role"], "booth");
    const std::string participant = joined[0]["participant_id"];
    ASSERT_EQ(hub.admitted.count(participant), 1u);
    EXPECT_EQ(hub.admitted[participant].session_id, "session-1");

    say(*peer, {{"type", "offer"}, {"sdp", "v=0 offer"}});
    ASSERT_EQ(hub.sfu.created.size(), 1u);
    EXPECT_EQ(hub.sfu.created[0].participant_id, participant);
    hub.sfu.created[0].done(std::string("v=0 answer"), "");
    auto answers = connection->of_type("answer");
    ASSERT_EQ(answers.size(), 1u);
    EXPECT_EQ(answers[0]["sdp"], "v=0 answer");

    peer->on_close();
    EXPECT_EQ(hub.forgotten, std::vector<std::string>{participant});
    EXPECT_EQ(hub.sfu.removed, std::vector<std::string>{participant});
}

TEST_F(CallPeerTest, OthersInTheCallHearOfTheJoin) {
    auto other_connection = std::make_shared<FakeConnection>();
    auto other = std::make_shared<CallPeer>(hub, other_connection, CallPeerLimits{});
    say(*other, {{"type", "join"}, {"join_token", "agent-token"}});
    ASSERT_EQ(other_connection->of_type("joined").size(), 1u);
    hub.others.push_back({other, "agent"});
    auto peer = open();
    say(*peer, {{"type", "join"}, {"join_token", "booth-token"}});
    auto heard = other_connection->of_type("participant");
    ASSERT_EQ(heard.size(), 1u);
    EXPECT_EQ(heard[0]["event"], "joined");
    EXPECT_EQ(heard[0]["role"], "booth");
    auto told = connection->of_type("participant");
    ASSERT_EQ(told.size(), 1u);
    EXPECT_EQ(told[0]["role"], "agent");
}

}  // namespace
}  // namespace vg::signaling
