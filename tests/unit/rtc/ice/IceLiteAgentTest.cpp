#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <vector>

#include "rtc/ice/IceLiteAgent.hpp"
#include "rtc/stun/MessageWriter.hpp"

namespace vg::rtc::ice {
namespace {

using namespace std::chrono_literals;

const Credentials kLocal{"srvA", "serverpassword0123456789"};
const Credentials kRemote{"brwB", "browserpassword012345678"};

struct Request {
    std::string username = kLocal.ufrag + ":" + kRemote.ufrag;
    std::string key = kLocal.pwd;
    bool useCandidate = false;
    bool controlled = false;
    bool fingerprint = true;
    bool integrity = true;
    bool priority = true;
};

std::vector<uint8_t> makeRequest(const Request& r) {
    std::array<uint8_t, 12> tid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    std::vector<uint8_t> buffer(512);
    stun::MessageWriter w(buffer, stun::Method::Binding, stun::Class::Request, tid);
    w.addUsername(r.username);
    if (r.priority) {
        w.addPriority(0x6e7f1eff);
    }
    if (r.controlled) {
        w.addIceControlled(42);
    } else {
        w.addIceControlling(42);
    }
    if (r.useCandidate) {
        w.addUseCandidate();
    }
    if (r.integrity) {
        w.addMessageIntegrity(r.key);
    }
    if (r.fingerprint) {
        w.addFingerprint();
    }
    buffer.resize(w.finish());
    return buffer;
}

sockaddr_in browser(uint16_t port) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
    return in;
}

class IceLiteAgentTest : public ::testing::Test {
  protected:
    IceLiteAgentTest() : agent(kLocal) { agent.setRemoteCredentials(kRemote); }

    IceLiteAgent::Result send(const Request& r, uint16_t port = 50000) {
        const auto packet = makeRequest(r);
        const auto from = browser(port);
        return agent.handleBindingRequest(packet, reinterpret_cast<const sockaddr*>(&from),
                                          response, now);
    }

    IceLiteAgent agent;
    std::array<uint8_t, 256> response{};
    IceLiteAgent::Clock::time_point now{std::chrono::seconds(1000)};
};

TEST_F(IceLiteAgentTest, AnswersAValidCheckWithTheMappedAddressSignedWithOurPassword) {
    const auto result = send({});
    ASSERT_EQ(result.verdict, IceLiteAgent::Verdict::Answered);
    EXPECT_FALSE(result.nominated);
    const auto answer = stun::Message::parse(std::span(response).first(result.responseSize));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->messageClass(), stun::Class::SuccessResponse);
    EXPECT_EQ(answer->transactionId()[0], 1);
    EXPECT_TRUE(answer->checkMessageIntegrity(kLocal.pwd));
    EXPECT_TRUE(answer->checkFingerprint());
    const auto mapped = answer->xorMappedAddress();
    ASSERT_TRUE(mapped);
    sockaddr_in in{};
    std::memcpy(&in, &*mapped, sizeof in);
    EXPECT_EQ(ntohs(in.sin_port), 50000);
    EXPECT_EQ(agent.lastValidRequest(), now);
    EXPECT_FALSE(agent.selectedAddress());
}

TEST_F(IceLiteAgentTest, UseCandidateNominatesTheSourceAddressAndFollowsAMove) {
    EXPECT_TRUE(send({.useCandidate = true}).nominated);
    ASSERT_TRUE(agent.selectedAddress());
    EXPECT_FALSE(send({.useCandidate = true}).nominated);  // same path again
    EXPECT_TRUE(send({.useCandidate = true}, 50002).nominated);
    sockaddr_in in{};
    std::memcpy(&in, &*agent.selectedAddress(), sizeof in);
    EXPECT_EQ(ntohs(in.sin_port), 50002);
}

TEST_F(IceLiteAgentTest, DropsAndCountsRequestsThatFailAnyCheck) {
    const std::vector<Request> bad = {
        {.username = "other:" + kRemote.ufrag},
        {.username = kLocal.ufrag + ":someoneElse"},
        {.username = kLocal.ufrag},
        {.key = "notTheServerPassword00000"},
        {.key = kRemote.pwd},
        {.fingerprint = false},
        {.integrity = false},
        {.priority = false},
    };
    for (const auto& r : bad) {
        EXPECT_EQ(send(r).verdict, IceLiteAgent::Verdict::Dropped) << r.username;
    }
    EXPECT_EQ(agent.droppedRequests(), bad.size());
    EXPECT_EQ(agent.answeredRequests(), 0U);
    EXPECT_FALSE(agent.lastValidRequest());

    auto corrupt = makeRequest({.useCandidate = true});
    corrupt[corrupt.size() - 1] ^= 0xFF;  // fingerprint
    const auto from = browser(50000);
    EXPECT_EQ(
        agent.handleBindingRequest(corrupt, reinterpret_cast<const sockaddr*>(&from), response, now)
            .verdict,
        IceLiteAgent::Verdict::Dropped);
    EXPECT_FALSE(agent.selectedAddress());
}

TEST_F(IceLiteAgentTest, AControlledPeerGetsRoleConflict) {
    const auto result = send({.useCandidate = true, .controlled = true});
    ASSERT_EQ(result.verdict, IceLiteAgent::Verdict::RoleConflict);
    EXPECT_FALSE(result.nominated);
    const auto answer = stun::Message::parse(std::span(response).first(result.responseSize));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->messageClass(), stun::Class::ErrorResponse);
    ASSERT_TRUE(answer->errorCode());
    EXPECT_EQ(answer->errorCode()->code, 487);
    EXPECT_TRUE(answer->checkMessageIntegrity(kLocal.pwd));
    EXPECT_FALSE(agent.selectedAddress());
}

TEST_F(IceLiteAgentTest, ConsentExpiresWithoutFreshChecks) {
    EXPECT_TRUE(agent.consentExpired(now));
    send({});
    EXPECT_FALSE(agent.consentExpired(now + 29s));
    EXPECT_TRUE(agent.consentExpired(now + 31s));
}

TEST_F(IceLiteAgentTest, AfterARestartTheNewCredentialsPassAndTheOldOnesEndAtTheNewNomination) {
    const Credentials newLocal{"srvN", "newserverpassword0123456"};
    const Credentials newRemote{"brwN", "newbrowserpassword012345"};
    const Request oldCheck{};
    const Request newCheck{.username = newLocal.ufrag + ":" + newRemote.ufrag, .key = newLocal.pwd};
    ASSERT_TRUE(send({.useCandidate = true}).nominated);
    agent.restart(newLocal, newRemote, now);
    EXPECT_EQ(agent.localCredentials().ufrag, newLocal.ufrag);
    EXPECT_EQ(agent.previousLocalUfrag(), kLocal.ufrag);

    // The browser keeps its old path alive with the old credentials: answered with the old
    // password.
    auto result = send(oldCheck);
    ASSERT_EQ(result.verdict, IceLiteAgent::Verdict::Answered);
    auto answer = stun::Message::parse(std::span(response).first(result.responseSize));
    ASSERT_TRUE(answer);
    EXPECT_TRUE(answer->checkMessageIntegrity(kLocal.pwd));
    // New ones pass, signed with the new password; mixed ones do not.
    result = send(newCheck, 50002);
    ASSERT_EQ(result.verdict, IceLiteAgent::Verdict::Answered);
    answer = stun::Message::parse(std::span(response).first(result.responseSize));
    ASSERT_TRUE(answer);
    EXPECT_TRUE(answer->checkMessageIntegrity(newLocal.pwd));
    EXPECT_EQ(send({.username = newLocal.ufrag + ":" + kRemote.ufrag, .key = newLocal.pwd}).verdict,
              IceLiteAgent::Verdict::Dropped);
    EXPECT_EQ(send({.username = newLocal.ufrag + ":" + newRemote.ufrag, .key = kLocal.pwd}).verdict,
              IceLiteAgent::Verdict::Dropped);

    // The browser nominates its new path: the old session is over.
    result =
        send({.username = newCheck.username, .key = newCheck.key, .useCandidate = true}, 50002);
    EXPECT_TRUE(result.nominated);
    EXPECT_EQ(agent.previousLocalUfrag(), "");
    EXPECT_EQ(send(oldCheck).verdict, IceLiteAgent::Verdict::Dropped);
    EXPECT_EQ(send(newCheck, 50002).verdict, IceLiteAgent::Verdict::Answered);
}

TEST_F(IceLiteAgentTest, OldCredentialsFailAfterTheRestartGraceWithoutANewNomination) {
    agent.restart({"srvN", "newserverpassword0123456"}, {"brwN", "newbrowserpassword012345"}, now);
    now += IceLiteAgent::restartGrace - 1s;
    EXPECT_EQ(send({}).verdict, IceLiteAgent::Verdict::Answered);
    now += 2s;
    EXPECT_EQ(send({}).verdict, IceLiteAgent::Verdict::Dropped);
    EXPECT_EQ(agent.previousLocalUfrag(), "");
}

TEST(IceLiteAgent, RandomCredentialsHaveIceLengthsAndDiffer) {
    const auto a = IceLiteAgent::randomCredentials();
    const auto b = IceLiteAgent::randomCredentials();
    EXPECT_GE(a.ufrag.size(), 4U);
    EXPECT_GE(a.pwd.size(), 22U);
    EXPECT_NE(a.pwd, b.pwd);
    for (char c : a.pwd) {
        EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/');
    }
}

TEST(IceLiteAgent, LocalUfragOfRoutesByTheUsernamePrefix) {
    const auto packet = makeRequest({});
    EXPECT_EQ(IceLiteAgent::localUfragOf(packet), kLocal.ufrag);
    std::vector<uint8_t> rtp(100, 0x80);
    EXPECT_FALSE(IceLiteAgent::localUfragOf(rtp));
    auto truncatedLength = packet;
    truncatedLength[20 + 3] = 0xFF;  // USERNAME claims more bytes than there are
    EXPECT_FALSE(IceLiteAgent::localUfragOf(truncatedLength));
}

}  // namespace
}  // namespace vg::rtc::ice
