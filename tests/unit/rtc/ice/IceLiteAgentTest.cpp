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
    bool use_candidate = false;
    bool controlled = false;
    bool fingerprint = true;
    bool integrity = true;
    bool priority = true;
};

std::vector<uint8_t> makeRequest(const Request& r) {
    std::array<uint8_t, 12> tid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    std::vector<uint8_t> buffer(512);
    stun::MessageWriter w(buffer, stun::Method::Binding, stun::Class::Request, tid);
    w.add_username(r.username);
    if (r.priority) {
        w.add_priority(0x6e7f1eff);
    }
    if (r.controlled) {
        w.add_ice_controlled(42);
    } else {
        w.add_ice_controlling(42);
    }
    if (r.use_candidate) {
        w.add_use_candidate();
    }
    if (r.integrity) {
        w.add_message_integrity(r.key);
    }
    if (r.fingerprint) {
        w.add_fingerprint();
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
    IceLiteAgentTest() : agent(kLocal) { agent.set_remote_credentials(kRemote); }

    IceLiteAgent::Result send(const Request& r, uint16_t port = 50000) {
        const auto packet = makeRequest(r);
        const auto from = browser(port);
        return agent.handle_binding_request(packet, reinterpret_cast<const sockaddr*>(&from),
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
    const auto answer = stun::Message::parse(std::span(response).first(result.response_size));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->message_class(), stun::Class::SuccessResponse);
    EXPECT_EQ(answer->transaction_id()[0], 1);
    EXPECT_TRUE(answer->check_message_integrity(kLocal.pwd));
    EXPECT_TRUE(answer->check_fingerprint());
    const auto mapped = answer->xor_mapped_address();
    ASSERT_TRUE(mapped);
    sockaddr_in in{};
    std::memcpy(&in, &*mapped, sizeof in);
    EXPECT_EQ(ntohs(in.sin_port), 50000);
    EXPECT_EQ(agent.last_valid_request(), now);
    EXPECT_FALSE(agent.selected_address());
}

TEST_F(IceLiteAgentTest, UseCandidateNominatesTheSourceAddressAndFollowsAMove) {
    EXPECT_TRUE(send({.use_candidate = true}).nominated);
    ASSERT_TRUE(agent.selected_address());
    EXPECT_FALSE(send({.use_candidate = true}).nominated);  // same path again
    EXPECT_TRUE(send({.use_candidate = true}, 50002).nominated);
    sockaddr_in in{};
    std::memcpy(&in, &*agent.selected_address(), sizeof in);
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
    EXPECT_EQ(agent.dropped_requests(), bad.size());
    EXPECT_EQ(agent.answered_requests(), 0U);
    EXPECT_FALSE(agent.last_valid_request());

    auto corrupt = makeRequest({.use_candidate = true});
    corrupt[corrupt.size() - 1] ^= 0xFF;  // fingerprint
    const auto from = browser(50000);
    EXPECT_EQ(agent
                  .handle_binding_request(corrupt, reinterpret_cast<const sockaddr*>(&from),
                                          response, now)
                  .verdict,
              IceLiteAgent::Verdict::Dropped);
    EXPECT_FALSE(agent.selected_address());
}

TEST_F(IceLiteAgentTest, AControlledPeerGetsRoleConflict) {
    const auto result = send({.use_candidate = true, .controlled = true});
    ASSERT_EQ(result.verdict, IceLiteAgent::Verdict::RoleConflict);
    EXPECT_FALSE(result.nominated);
    const auto answer = stun::Message::parse(std::span(response).first(result.response_size));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->message_class(), stun::Class::ErrorResponse);
    ASSERT_TRUE(answer->error_code());
    EXPECT_EQ(answer->error_code()->code, 487);
    EXPECT_TRUE(answer->check_message_integrity(kLocal.pwd));
    EXPECT_FALSE(agent.selected_address());
}

TEST_F(IceLiteAgentTest, ConsentExpiresWithoutFreshChecks) {
    EXPECT_TRUE(agent.consent_expired(now));
    send({});
    EXPECT_FALSE(agent.consent_expired(now + 29s));
    EXPECT_TRUE(agent.consent_expired(now + 31s));
}

TEST_F(IceLiteAgentTest, AfterARestartTheNewCredentialsPassAndTheOldOnesEndAtTheNewNomination) {
    const Credentials newLocal{"srvN", "newserverpassword0123456"};
    const Credentials newRemote{"brwN", "newbrowserpassword012345"};
    const Request oldCheck{};
    const Request newCheck{.username = newLocal.ufrag + ":" + newRemote.ufrag, .key = newLocal.pwd};
    ASSERT_TRUE(send({.use_candidate = true}).nominated);
    agent.restart(newLocal, newRemote, now);
    EXPECT_EQ(agent.local_credentials().ufrag, newLocal.ufrag);
    EXPECT_EQ(agent.previous_local_ufrag(), kLocal.ufrag);

    // The browser keeps its old path alive with the old credentials: answered with the old
    // password.
    auto result = send(oldCheck);
    ASSERT_EQ(result.verdict, IceLiteAgent::Verdict::Answered);
    auto answer = stun::Message::parse(std::span(response).first(result.response_size));
    ASSERT_TRUE(answer);
    EXPECT_TRUE(answer->check_message_integrity(kLocal.pwd));
    // New ones pass, signed with the new password; mixed ones do not.
    result = send(newCheck, 50002);
    ASSERT_EQ(result.verdict, IceLiteAgent::Verdict::Answered);
    answer = stun::Message::parse(std::span(response).first(result.response_size));
    ASSERT_TRUE(answer);
    EXPECT_TRUE(answer->check_message_integrity(newLocal.pwd));
    EXPECT_EQ(send({.username = newLocal.ufrag + ":" + kRemote.ufrag, .key = newLocal.pwd}).verdict,
              IceLiteAgent::Verdict::Dropped);
    EXPECT_EQ(send({.username = newLocal.ufrag + ":" + newRemote.ufrag, .key = kLocal.pwd}).verdict,
              IceLiteAgent::Verdict::Dropped);

    // The browser nominates its new path: the old session is over.
    result =
        send({.username = newCheck.username, .key = newCheck.key, .use_candidate = true}, 50002);
    EXPECT_TRUE(result.nominated);
    EXPECT_EQ(agent.previous_local_ufrag(), "");
    EXPECT_EQ(send(oldCheck).verdict, IceLiteAgent::Verdict::Dropped);
    EXPECT_EQ(send(newCheck, 50002).verdict, IceLiteAgent::Verdict::Answered);
}

TEST_F(IceLiteAgentTest, OldCredentialsFailAfterTheRestartGraceWithoutANewNomination) {
    agent.restart({"srvN", "newserverpassword0123456"}, {"brwN", "newbrowserpassword012345"}, now);
    now += IceLiteAgent::restart_grace - 1s;
    EXPECT_EQ(send({}).verdict, IceLiteAgent::Verdict::Answered);
    now += 2s;
    EXPECT_EQ(send({}).verdict, IceLiteAgent::Verdict::Dropped);
    EXPECT_EQ(agent.previous_local_ufrag(), "");
}

TEST(IceLiteAgent, RandomCredentialsHaveIceLengthsAndDiffer) {
    const auto a = IceLiteAgent::random_credentials();
    const auto b = IceLiteAgent::random_credentials();
    EXPECT_GE(a.ufrag.size(), 4U);
    EXPECT_GE(a.pwd.size(), 22U);
    EXPECT_NE(a.pwd, b.pwd);
    for (char c : a.pwd) {
        EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/');
    }
}

TEST(IceLiteAgent, LocalUfragOfRoutesByTheUsernamePrefix) {
    const auto packet = makeRequest({});
    EXPECT_EQ(IceLiteAgent::local_ufrag_of(packet), kLocal.ufrag);
    std::vector<uint8_t> rtp(100, 0x80);
    EXPECT_FALSE(IceLiteAgent::local_ufrag_of(rtp));
    auto truncatedLength = packet;
    truncatedLength[20 + 3] = 0xFF;  // USERNAME claims more bytes than there are
    EXPECT_FALSE(IceLiteAgent::local_ufrag_of(truncatedLength));
}

}  // namespace
}  // namespace vg::rtc::ice
