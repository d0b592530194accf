#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "app/AsioSchedule.hpp"
#include "signaling/CallSignaling.hpp"
#include "unit/signaling/Fakes.hpp"

namespace vg::signaling {
namespace {

using nlohmann::json;
using test::FakeConnection;
using test::FakeMedia;

class CallSignalingTest : public ::testing::Test {
  protected:
    struct Client {
        std::shared_ptr<FakeConnection> connection;
        std::shared_ptr<http::WebSocketPeer> peer;
        void say(const json& message) { peer->on_message(message.dump()); }
        const json& last() const { return connection->sent.back(); }
    };

    CallSignalingTest() {
        tokens["booth-token"] = {"session-1", "booth", "booth-7"};
        tokens["agent-token"] = {"session-1", "agent", "agent-3"};
        tokens["other-call-token"] = {"session-2", "agent", "agent-4"};
    }

    Client connect() {
        Client client{std::make_shared<FakeConnection>(), nullptr};
        client.peer = signaling.open(client.connection);
        return client;
    }

    Client join(const std::string& token) {
        auto client = connect();
        client.say({{"type", "join"}, {"join_token", token}});
        return client;
    }

    void run_scheduled() {
        auto tasks = std::move(scheduled);
        scheduled.clear();
        for (auto& task : tasks) task();
    }

    // The browser's first offer, answered by the SFU.
    void negotiate(Client& client, std::size_t created_index) {
        client.say({{"type", "offer"}, {"sdp", "v=0 offer"}});
        media.created.at(created_index).done(std::string("v=0 answer"), "");
    }

    std::map<std::string, JoinClaims> tokens;
    std::vector<std::function<void()>> scheduled;
    std::vector<std::chrono::milliseconds> delays;
    FakeMedia media;
    CallSignalingOptions options{std::chrono::milliseconds(5000), 1024, 2};
    CallSignaling signaling{media,
                            [this](const std::string& token) -> std::optional<JoinClaims> {
                                auto found = tokens.find(token);
                                if (found == tokens.end()) return std::nullopt;
                                return found->second;
                            },
                            [this](std::chrono::milliseconds delay, std::function<void()> task) {
                                delays.push_back(delay);
                                scheduled.push_back(std::move(task));
                            },
                            options};
};

TEST_F(CallSignalingTest, ValidJoinIsAnsweredWithParticipantIdAndRole) {
    auto booth = join("booth-token");
    ASSERT_EQ(booth.connection->sent.size(), 1u);
    EXPECT_EQ(booth.last()["type"], "joined");
    EXPECT_EQ(booth.last()["role"], "booth");
    EXPECT_FALSE(booth.last()["participant_id"].get<std::string>().empty());
    EXPECT_EQ(booth.connection->close_code, 0);
    EXPECT_EQ(signaling.participant_count(), 1u);
    EXPECT_EQ(media.listener, &signaling);
}

TEST_F(CallSignalingTest, NoJoinWithinFiveSecondsCloses4401) {
    auto silent = connect();
    ASSERT_EQ(delays.size(), 1u);
    EXPECT_EQ(delays[0], std::chrono::milliseconds(5000));
    run_scheduled();
    EXPECT_EQ(silent.connection->close_code, 4401);
    // Too late now: the join is ignored.
    silent.say({{"type", "join"}, {"join_token", "booth-token"}});
    EXPECT_EQ(signaling.participant_count(), 0u);
}

TEST_F(CallSignalingTest, DeadlineDoesNothingOnceJoined) {
    auto booth = join("booth-token");
    run_scheduled();
    EXPECT_EQ(booth.connection->close_code, 0);
    EXPECT_EQ(signaling.participant_count(), 1u);
}

TEST_F(CallSignalingTest, InvalidTokenGetsErrorAndCloses4401) {
    for (const json& join_message :
         {json{{"type", "join"}, {"join_token", "forged"}}, json{{"type", "join"}},
          json{{"type", "join"}, {"join_token", 42}}}) {
        auto client = connect();
        client.say(join_message);
        ASSERT_EQ(client.connection->sent.size(), 1u) << join_message;
        EXPECT_EQ(client.last()["type"], "error");
        EXPECT_EQ(client.last()["code"], "unauthorized");
        EXPECT_EQ(client.connection->close_code, 4401);
    }
    EXPECT_EQ(signaling.participant_count(), 0u);
}

TEST_F(CallSignalingTest, VerifierFailureIsNotMistakenForABadToken) {
    tokens.clear();
    CallSignaling failing{media,
                          [](const std::string&) -> std::optional<JoinClaims> {
                              throw std::runtime_error("database down");
                          },
                          [](std::chrono::milliseconds, std::function<void()>) {}};
    auto connection = std::make_shared<FakeConnection>();
    auto peer = failing.open(connection);
    peer->on_message(R"({"type":"join","join_token":"t"})");
    EXPECT_EQ(connection->sent.back()["code"], "unavailable");
    EXPECT_EQ(connection->close_code, 1011);
}

TEST_F(CallSignalingTest, MessagesBeforeJoinAreErrorsAndTheJoinCanStillCome) {
    auto client = connect();
    client.say({{"type", "offer"}, {"sdp", "v=0"}});
    EXPECT_EQ(client.last()["code"], "not_joined");
    client.peer->on_message("not json");
    EXPECT_EQ(client.last()["code"], "bad_json");
    EXPECT_EQ(client.connection->close_code, 0);
    client.say({{"type", "join"}, {"join_token", "agent-token"}});
    EXPECT_EQ(client.last()["type"], "joined");
    EXPECT_TRUE(media.created.empty());
}

TEST_F(CallSignalingTest, MalformedMessagesGetErrorsAndNeverAffectOtherConnections) {
    auto booth = join("booth-token");
    auto agent = join("agent-token");
    auto sent_to_agent = agent.connection->sent.size();
    for (const std::string& text :
         {std::string("{\"type\":"), std::string("[1,2]"), std::string("\"join\""),
          std::string("{}"), std::string("{\"type\":7}"), std::string("{\"type\":\"dance\"}"),
          std::string("{\"type\":\"offer\"}"), std::string("{\"type\":\"offer\",\"sdp\":3}"),
          std::string("{\"type\":\"answer\",\"sdp\":\"\"}"), std::string(2000, '{'),
          std::string("{\"type\":\"join\",\"join_token\":\"agent-token\"}")}) {
        auto before = booth.connection->sent.size();
        booth.peer->on_message(text);
        ASSERT_EQ(booth.connection->sent.size(), before + 1) << text;
        EXPECT_EQ(booth.last()["type"], "error") << text;
        EXPECT_TRUE(booth.last()["code"].is_string());
        EXPECT_TRUE(booth.last()["message"].is_string());
    }
    EXPECT_EQ(booth.connection->close_code, 0);
    EXPECT_EQ(agent.connection->sent.size(), sent_to_agent);
    EXPECT_EQ(agent.connection->close_code, 0);
    EXPECT_EQ(signaling.participant_count(), 2u);
    EXPECT_TRUE(media.created.empty());
}

TEST_F(CallSignalingTest, OversizedMessageIsRefused) {
    auto booth = join("booth-token");
    booth.say({{"type", "offer"}, {"sdp", std::string(2000, 'x')}});
    EXPECT_EQ(booth.last()["code"], "too_large");
    EXPECT_TRUE(media.created.empty());
}

TEST_F(CallSignalingTest, ErrorCodesAreDistinct) {
    auto booth = join("booth-token");
    booth.say({{"type", "join"}, {"join_token", "booth-token"}});
    EXPECT_EQ(booth.last()["code"], "already_joined");
    booth.say({{"type", "dance"}});
    EXPECT_EQ(booth.last()["code"], "unknown_type");
    booth.say({{"type", "answer"}, {"sdp", "v=0"}});
    EXPECT_EQ(booth.last()["code"], "unexpected_answer");
    EXPECT_EQ(signaling.participant_count(), 1u);
}

TEST_F(CallSignalingTest, OfferGoesToTheSfuAndItsAnswerBack) {
    auto booth = join("booth-token");
    auto participant_id = booth.last()["participant_id"].get<std::string>();
    booth.say({{"type", "offer"}, {"sdp", "v=0 offer"}});
    ASSERT_EQ(media.created.size(), 1u);
    EXPECT_EQ(media.created[0].participant_id, participant_id);
    EXPECT_EQ(media.created[0].claims.session_id, "session-1");
    EXPECT_EQ(media.created[0].claims.role, "booth");
    EXPECT_EQ(media.created[0].offer_sdp, "v=0 offer");

    booth.say({{"type", "offer"}, {"sdp", "v=0 again"}});
    EXPECT_EQ(booth.last()["code"], "unexpected_offer");
    EXPECT_EQ(media.created.size(), 1u);

    media.created[0].done(std::string("v=0 answer"), "");
    EXPECT_EQ(booth.last(), (json{{"type", "answer"}, {"sdp", "v=0 answer"}}));
}

TEST_F(CallSignalingTest, RejectedOfferIsAnErrorAndTheClientMayOfferAgain) {
    auto booth = join("booth-token");
    booth.say({{"type", "offer"}, {"sdp", "v=0 no codecs"}});
    media.created[0].done(std::nullopt, "no common video codec");
    EXPECT_EQ(booth.last()["code"], "offer_rejected");
    EXPECT_EQ(booth.last()["message"], "no common video codec");
    negotiate(booth, 1);
    EXPECT_EQ(booth.last()["type"], "answer");
}

TEST_F(CallSignalingTest, ServerOfferReachesTheBrowserAndItsAnswerTheSfu) {
    auto booth = join("booth-token");
    auto participant_id = booth.last()["participant_id"].get<std::string>();
    negotiate(booth, 0);
    media.listener->on_server_offer(participant_id, "v=0 server offer");
    EXPECT_EQ(booth.last(), (json{{"type", "offer"}, {"sdp", "v=0 server offer"}}));
    booth.say({{"type", "answer"}, {"sdp", "v=0 browser answer"}});
    ASSERT_EQ(media.answers.size(), 1u);
    EXPECT_EQ(media.answers[0].participant_id, participant_id);
    EXPECT_EQ(media.answers[0].sdp, "v=0 browser answer");
    // One answer per offer, also while the SFU checks the first.
    booth.say({{"type", "answer"}, {"sdp", "v=0 browser answer"}});
    EXPECT_EQ(booth.last()["code"], "unexpected_answer");
    EXPECT_EQ(media.answers.size(), 1u);
    media.answers[0].done("");
    booth.say({{"type", "answer"}, {"sdp", "v=0 browser answer"}});
    EXPECT_EQ(booth.last()["code"], "unexpected_answer");
    EXPECT_EQ(media.answers.size(), 1u);
    // The next offer goes out once the answer was applied.
    media.listener->on_server_offer(participant_id, "v=0 second offer");
    EXPECT_EQ(booth.last(), (json{{"type", "offer"}, {"sdp", "v=0 second offer"}}));
    // An offer for no one is dropped.
    media.listener->on_server_offer("nobody", "v=0");
}

TEST_F(CallSignalingTest, RefusedAnswerIsAnErrorAndTheOfferStillWaits) {
    auto booth = join("booth-token");
    auto participant_id = booth.last()["participant_id"].get<std::string>();
    negotiate(booth, 0);
    media.listener->on_server_offer(participant_id, "v=0 server offer");
    booth.say({{"type", "answer"}, {"sdp", "v=0 restarts ICE"}});
    ASSERT_EQ(media.answers.size(), 1u);
    media.answers[0].done("the answer restarts ICE (section 0)");
    EXPECT_EQ(booth.last()["type"], "error");
    EXPECT_EQ(booth.last()["code"], "answer_rejected");
    EXPECT_EQ(booth.last()["message"], "the answer restarts ICE (section 0)");
    // A client offer meanwhile is refused: the server's offer is the one to answer.
    booth.say({{"type", "offer"}, {"sdp", "v=0 client offer"}});
    EXPECT_EQ(booth.last()["code"], "unexpected_offer");
    EXPECT_EQ(media.created.size(), 1u);
    // No second server offer overtakes the waiting one.
    const auto sent = booth.connection->sent.size();
    media.listener->on_server_offer(participant_id, "v=0 another");
    EXPECT_EQ(booth.connection->sent.size(), sent);
    booth.say({{"type", "answer"}, {"sdp", "v=0 fitting answer"}});
    ASSERT_EQ(media.answers.size(), 2u);
    EXPECT_EQ(media.answers[1].sdp, "v=0 fitting answer");
    media.answers[1].done("");
    media.listener->on_server_offer(participant_id, "v=0 next");
    EXPECT_EQ(booth.last(), (json{{"type", "offer"}, {"sdp", "v=0 next"}}));
}

TEST_F(CallSignalingTest, LaterClientOfferRestartsIceAndAServerOfferWaitsForItsAnswer) {
    auto booth = join("booth-token");
    auto participant_id = booth.last()["participant_id"].get<std::string>();
    negotiate(booth, 0);
    booth.say({{"type", "offer"}, {"sdp", "v=0 new ICE credentials"}});
    ASSERT_EQ(media.restarts.size(), 1u);
    EXPECT_EQ(media.restarts[0].participant_id, participant_id);
    EXPECT_EQ(media.restarts[0].offer_sdp, "v=0 new ICE credentials");
    // One offer at a time: neither another client offer nor a server offer crosses it.
    booth.say({{"type", "offer"}, {"sdp", "v=0 again"}});
    EXPECT_EQ(booth.last()["code"], "unexpected_offer");
    EXPECT_EQ(media.restarts.size(), 1u);
    const auto sent = booth.connection->sent.size();
    media.listener->on_server_offer(participant_id, "v=0 server offer");
    EXPECT_EQ(booth.connection->sent.size(), sent);
    // The answer first, then the server offer that waited.
    media.restarts[0].done(std::string("v=0 restart answer"), "");
    ASSERT_EQ(booth.connection->sent.size(), sent + 2);
    EXPECT_EQ(booth.connection->sent[sent],
              (json{{"type", "answer"}, {"sdp", "v=0 restart answer"}}));
    EXPECT_EQ(booth.last(), (json{{"type", "offer"}, {"sdp", "v=0 server offer"}}));
    // While that offer waits, a restart is refused: the client answers first.
    booth.say({{"type", "offer"}, {"sdp", "v=0 crossing restart"}});
    EXPECT_EQ(booth.last()["code"], "unexpected_offer");
    EXPECT_EQ(media.restarts.size(), 1u);
    booth.say({{"type", "answer"}, {"sdp", "v=0 browser answer"}});
    media.answers[0].done("");
    // A refused restart is an error and the client may try again.
    booth.say({{"type", "offer"}, {"sdp", "v=0 adds a section"}});
    ASSERT_EQ(media.restarts.size(), 2u);
    media.restarts[1].done(std::nullopt, "an offer from the browser may only restart ICE");
    EXPECT_EQ(booth.last()["code"], "offer_rejected");
    booth.say({{"type", "offer"}, {"sdp", "v=0 restart"}});
    EXPECT_EQ(media.restarts.size(), 3u);
}

TEST_F(CallSignalingTest, CandidatesAreAcceptedSilently) {
    auto booth = join("booth-token");
    auto before = booth.connection->sent.size();
    booth.say({{"type", "candidate"}, {"candidate", {{"candidate", "candidate:1 1 udp ..."}}}});
    EXPECT_EQ(booth.connection->sent.size(), before);
}

TEST_F(CallSignalingTest, ParticipantsLearnWhoJoinsAndLeaves) {
    auto booth = join("booth-token");
    auto elsewhere = join("other-call-token");
    auto agent = join("agent-token");
    auto agent_id = agent.connection->sent[0]["participant_id"].get<std::string>();
    EXPECT_EQ(booth.last(),
              (json{{"type", "participant"}, {"event", "joined"}, {"role", "agent"}}));
    EXPECT_EQ(agent.connection->sent[0]["type"], "joined");
    EXPECT_EQ(agent.last(),
              (json{{"type", "participant"}, {"event", "joined"}, {"role", "booth"}}));
    EXPECT_EQ(elsewhere.connection->sent.size(), 1u);

    agent.say({{"type", "leave"}});
    EXPECT_EQ(agent.last(), (json{{"type", "bye"}, {"reason", "left"}}));
    EXPECT_EQ(agent.connection->close_code, 1000);
    EXPECT_EQ(booth.last(), (json{{"type", "participant"}, {"event", "left"}, {"role", "agent"}}));
    EXPECT_EQ(media.removed, std::vector<std::string>{agent_id});
    EXPECT_EQ(signaling.participant_count(), 2u);
    EXPECT_EQ(elsewhere.connection->sent.size(), 1u);

    // The close that follows the bye changes nothing more.
    agent.peer->on_close();
    EXPECT_EQ(media.removed.size(), 1u);
}

TEST_F(CallSignalingTest, LostConnectionRemovesTheParticipant) {
    auto booth = join("booth-token");
    auto agent = join("agent-token");
    auto booth_id = booth.connection->sent[0]["participant_id"].get<std::string>();
    negotiate(booth, 0);
    booth.peer->on_close();
    EXPECT_EQ(media.removed, std::vector<std::string>{booth_id});
    EXPECT_EQ(agent.last(), (json{{"type", "participant"}, {"event", "left"}, {"role", "booth"}}));
    EXPECT_EQ(signaling.participant_count(), 1u);
    // A server offer for it now goes nowhere.
    media.listener->on_server_offer(booth_id, "v=0");
    EXPECT_EQ(booth.last()["type"], "answer");
}

TEST_F(CallSignalingTest, RejoinWithTheSameIdentityReplacesTheOldParticipant) {
    auto booth = join("booth-token");
    auto agent = join("agent-token");
    auto old_id = booth.connection->sent[0]["participant_id"].get<std::string>();
    negotiate(booth, 0);

    auto reloaded = join("booth-token");  // the booth page was reloaded
    auto new_id = reloaded.connection->sent[0]["participant_id"].get<std::string>();
    EXPECT_NE(new_id, old_id);
    EXPECT_EQ(booth.last(), (json{{"type", "bye"}, {"reason", "replaced"}}));
    EXPECT_EQ(booth.connection->close_code, 1000);
    EXPECT_EQ(media.removed, std::vector<std::string>{old_id});
    auto events = agent.connection->of_type("participant");
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[1], (json{{"type", "participant"}, {"event", "left"}, {"role", "booth"}}));
    EXPECT_EQ(events[2], (json{{"type", "participant"}, {"event", "joined"}, {"role", "booth"}}));
    EXPECT_EQ(reloaded.last(),
              (json{{"type", "participant"}, {"event", "joined"}, {"role", "agent"}}));
    EXPECT_EQ(signaling.participant_count(), 2u);

    // The old connection's close must not remove the new participant.
    booth.peer->on_close();
    EXPECT_EQ(media.removed.size(), 1u);
    EXPECT_EQ(signaling.participant_count(), 2u);
    negotiate(reloaded, 1);
    EXPECT_EQ(media.created[1].participant_id, new_id);
    EXPECT_EQ(reloaded.last()["type"], "answer");
}

TEST_F(CallSignalingTest, AFullCallRefusesAnotherParticipant) {
    tokens["third-token"] = {"session-1", "agent", "supervisor-1"};
    auto booth = join("booth-token");
    auto agent = join("agent-token");
    auto third = join("third-token");
    EXPECT_EQ(third.last()["code"], "call_full");
    EXPECT_EQ(third.connection->close_code, 4409);
    EXPECT_EQ(signaling.participant_count(), 2u);
    EXPECT_EQ(booth.connection->of_type("participant").size(), 1u);
    // A rejoin of someone already in a full call still works.
    auto again = join("agent-token");
    EXPECT_EQ(again.connection->sent[0]["type"], "joined");
}

TEST_F(CallSignalingTest, MediaFailureEndsTheParticipant) {
    auto booth = join("booth-token");
    auto agent = join("agent-token");
    auto booth_id = booth.connection->sent[0]["participant_id"].get<std::string>();
    negotiate(booth, 0);
    media.listener->on_media_failed(booth_id, "dtls handshake timeout");
    EXPECT_EQ(booth.last(), (json{{"type", "bye"}, {"reason", "media_failed"}}));
    EXPECT_EQ(booth.connection->close_code, 1000);
    EXPECT_EQ(media.removed, std::vector<std::string>{booth_id});
    EXPECT_EQ(agent.last(), (json{{"type", "participant"}, {"event", "left"}, {"role", "booth"}}));
}

TEST_F(CallSignalingTest, AnswerArrivingAfterTheConnectionWentRemovesTheParticipant) {
    auto booth = join("booth-token");
    auto booth_id = booth.connection->sent[0]["participant_id"].get<std::string>();
    booth.say({{"type", "offer"}, {"sdp", "v=0"}});
    booth.peer->on_close();
    media.created[0].done(std::string("v=0 answer"), "");
    EXPECT_EQ(media.removed, (std::vector<std::string>{booth_id, booth_id}));
    EXPECT_EQ(booth.connection->of_type("answer").size(), 0u);

    // Also when the peer object itself is gone.
    auto agent = join("agent-token");
    auto agent_id = agent.connection->sent[0]["participant_id"].get<std::string>();
    agent.say({{"type", "offer"}, {"sdp", "v=0"}});
    agent.peer->on_close();
    agent.peer.reset();
    media.created[1].done(std::string("v=0 answer"), "");
    EXPECT_EQ(media.removed.back(), agent_id);
}

TEST_F(CallSignalingTest, ShutdownSaysByeToEveryone) {
    auto booth = join("booth-token");
    auto agent = join("agent-token");
    signaling.shutdown();
    EXPECT_EQ(booth.last(), (json{{"type", "bye"}, {"reason", "server_shutdown"}}));
    EXPECT_EQ(agent.last(), (json{{"type", "bye"}, {"reason", "server_shutdown"}}));
    EXPECT_EQ(media.removed.size(), 2u);
    EXPECT_EQ(signaling.participant_count(), 0u);
}

TEST(AsioScheduleTest, JoinDeadlineRunsOnTheIoContext) {
    boost::asio::io_context io;
    FakeMedia media;
    CallSignaling signaling{media, [](const std::string&) { return std::optional<JoinClaims>(); },
                            app::make_asio_schedule(io),
                            CallSignalingOptions{std::chrono::milliseconds(20)}};
    auto silent = std::make_shared<FakeConnection>();
    auto peer = signaling.open(silent);
    io.run_for(std::chrono::seconds(2));
    EXPECT_EQ(silent->close_code, 4401);
}

}  // namespace
}  // namespace vg::signaling
