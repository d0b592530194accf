#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <sstream>

#include "rtc/MediaEngine.hpp"
#include "rtc/net/SocketAddress.hpp"
#include "rtc/sdp/SessionDescription.hpp"
#include "unit/rtc/MediaEvents.hpp"
#include "unit/rtc/room/BrowserAnswer.hpp"
#include "worker/SimulatedPeer.hpp"

namespace vg::rtc {
namespace {

using namespace std::chrono_literals;
using testing::make_rtp;
using testing::MediaEvents;
using testing::SimulatedPeer;

struct Joined {
    MediaEngine::JoinResult result;
    std::optional<sdp::SessionDescription> answer;
    std::unique_ptr<SimulatedPeer> peer;
    std::uint32_t audio_ssrc = 0;  // what the server sends this participant
    std::uint32_t video_ssrc = 0;
    ice::Credentials peer_ice;  // the browser's transport, for its answers to our offers
    std::string peer_fingerprint;
};

class MediaEngineTest : public ::testing::Test {
  protected:
    MediaEvents events;
    MediaEngine engine{events};

    void SetUp() override { engine.start({"127.0.0.1:0", "", 2}); }

    MediaEngine::JoinResult create(const std::string& room, const std::string& offer) {
        std::promise<MediaEngine::JoinResult> promise;
        engine.create_participant(room, "booth", offer, [&](MediaEngine::JoinResult result) {
            promise.set_value(std::move(result));
        });
        return promise.get_future().get();
    }

    // Offers as a browser would, reads the answer as a browser would, and connects to it.
    Joined join(const std::string& room, std::uint8_t opus, std::uint8_t vp8) {
        Joined joined;
        // The peer needs the server's credentials, which only the answer gives: make the peer's
        // own identity first, offer with it, then build the peer from the answer.
        const auto peer_ice = ice::IceLiteAgent::random_credentials();
        auto certificate = std::make_shared<dtls::DtlsCertificate>();
        joined.result = create(
            room, testing::chromium_like_offer(peer_ice, certificate->fingerprint(), opus, vp8));
        joined.peer_ice = peer_ice;
        joined.peer_fingerprint = certificate->fingerprint();
        if (!joined.result.ok) return joined;
        joined.answer = sdp::SessionDescription::parse(joined.result.answer_sdp);
        if (!joined.answer) return joined;
        const auto& audio = joined.answer->media.at(0);
        const auto& video = joined.answer->media.at(1);
        if (!audio.ssrcs.empty()) joined.audio_ssrc = audio.ssrcs.front().ssrc;
        if (!video.ssrcs.empty()) joined.video_ssrc = video.ssrcs.front().ssrc;
        // "foundation component udp priority ip port typ host"
        std::istringstream candidate(audio.candidates.at(0));
        std::string foundation, component, protocol, priority, ip;
        std::uint16_t port = 0;
        candidate >> foundation >> component >> protocol >> priority >> ip >> port;
        joined.peer =
            std::make_unique<SimulatedPeer>(*net::SocketAddress::from_ip(ip, port),
                                            ice::Credentials{audio.ice_ufrag, audio.ice_pwd},
                                            audio.fingerprint, peer_ice, certificate);
        return joined;
    }

    std::string accept(std::uint64_t id, const std::string& answer) {
        std::promise<std::string> promise;
        engine.accept_answer(id, answer, [&](std::string error) { promise.set_value(error); });
        return promise.get_future().get();
    }

    // The latest offer to a participant, answered as its browser would.
    sdp::SessionDescription answer_offer(const Joined& joined, std::size_t count) {
        const auto id = joined.result.participant_id;
        EXPECT_TRUE(events.wait_offers(id, count));
        std::string text;
        {
            std::lock_guard lock(events.mutex);
            text = events.offers[id].back();
        }
        auto offer = sdp::SessionDescription::parse(text);
        EXPECT_TRUE(offer);
        if (!offer) return {};
        const auto answer = test::browser_answer(*offer, joined.peer_ice.ufrag, joined.peer_ice.pwd,
                                                 joined.peer_fingerprint);
        EXPECT_EQ(accept(id, answer.to_string()), "");
        return *offer;
    }
};

TEST_F(MediaEngineTest, AnswerIsIceLitePassiveWithOurFingerprintAndCandidate) {
    auto booth = join("call-1", 111, 96);
    ASSERT_TRUE(booth.result.ok) << booth.result.error;
    ASSERT_TRUE(booth.answer);
    EXPECT_TRUE(booth.answer->ice_lite);
    ASSERT_EQ(booth.answer->media.size(), 2u);
    for (const auto& section : booth.answer->media) {
        EXPECT_EQ(section.setup, sdp::Setup::Passive);
        EXPECT_EQ(section.fingerprint, engine.fingerprint());
        EXPECT_EQ(section.direction, sdp::Direction::SendRecv);
        if (section.kind == "audio") {
            EXPECT_EQ(section.ssrcs.size(), 1u);
            EXPECT_TRUE(section.ssrc_groups.empty());
            continue;
        }
        // The browser offered RTX for VP8: our video comes with an RTX SSRC (RFC 4588), which
        // answers its NACKs.
        ASSERT_EQ(section.ssrcs.size(), 2u);
        ASSERT_EQ(section.ssrc_groups.size(), 1u);
        EXPECT_EQ(section.ssrc_groups[0].semantics, "FID");
        EXPECT_EQ(section.ssrc_groups[0].ssrcs,
                  (std::vector<std::uint32_t>{section.ssrcs[0].ssrc, section.ssrcs[1].ssrc}));
        EXPECT_NE(section.ssrcs[0].ssrc, section.ssrcs[1].ssrc);
    }
    EXPECT_NE(booth.audio_ssrc, booth.video_ssrc);
    EXPECT_NE(booth.result.answer_sdp.find("a=candidate:"), std::string::npos);
}

TEST_F(MediaEngineTest, BoothAndAgentReceiveEachOthersMedia) {
    auto booth = join("call-2", 111, 96);
    auto agent = join("call-2", 109, 98);
    ASSERT_TRUE(booth.result.ok && agent.result.ok);
    ASSERT_TRUE(booth.peer->connect());
    ASSERT_TRUE(agent.peer->connect());

    for (std::uint16_t i = 0; i < 10; ++i) {
        ASSERT_TRUE(booth.peer->send_rtp(make_rtp(111, i, 960u * i, 1001, 80)));
        ASSERT_TRUE(booth.peer->send_rtp(make_rtp(96, 500 + i, 3000u * i, 2001, 1100)));
        ASSERT_TRUE(agent.peer->send_rtp(make_rtp(98, 900 + i, 3000u * i, 2001, 1100)));
    }
    ASSERT_TRUE(agent.peer->wait_for_rtp(20));
    ASSERT_TRUE(booth.peer->wait_for_rtp(10));
    std::size_t audio = 0;
    std::size_t video = 0;
    for (const auto& packet : agent.peer->rtp) {
        if (packet.ssrc == agent.audio_ssrc && packet.payload_type == 109) ++audio;
        if (packet.ssrc == agent.video_ssrc && packet.payload_type == 98) ++video;
    }
    EXPECT_EQ(audio, 10u);
    EXPECT_EQ(video, 10u);
    for (const auto& packet : booth.peer->rtp) {
        EXPECT_EQ(packet.ssrc, booth.video_ssrc);
        EXPECT_EQ(packet.payload_type, 96);
    }
    EXPECT_GE(engine.stats().forwarded_packets, 30u);

    std::unique_lock lock(events.mutex);
    EXPECT_TRUE(events.changed.wait_for(lock, 2s, [&] { return events.connected.size() == 2; }));
}

TEST_F(MediaEngineTest, UnreadableOfferIsRefused) {
    const auto result = create("call-3", "not an offer");
    EXPECT_FALSE(result.ok);
    EXPECT_FALSE(result.error.empty());
    EXPECT_EQ(engine.stats().participants, 0u);
}

TEST_F(MediaEngineTest, LeavingReleasesTheParticipantWithAnEvent) {
    auto booth = join("call-4", 111, 96);
    ASSERT_TRUE(booth.result.ok);
    ASSERT_TRUE(booth.peer->connect());
    engine.remove_participant(booth.result.participant_id);
    ASSERT_TRUE(events.wait_closed(booth.result.participant_id));
    EXPECT_EQ(events.closed[booth.result.participant_id], "left");
    const auto stats = engine.stats();
    EXPECT_EQ(stats.participants, 0u);
    EXPECT_EQ(stats.rooms, 0u);
    EXPECT_EQ(stats.routes, 0u);
    booth.peer->poll(100ms);
    EXPECT_TRUE(booth.peer->dtls_closed);  // close_notify reached the browser
}

// The SSRC we send a receiver the track of this kind from sender, as our offer says.
std::uint32_t ssrc_from(const sdp::SessionDescription& offer, const Joined& sender,
                        const std::string& kind) {
    const auto stream = "vg-" + std::to_string(sender.result.participant_id) + " ";
    for (const auto& section : offer.media)
        if (section.kind == kind && section.msid.starts_with(stream) && !section.ssrcs.empty())
            return section.ssrcs.front().ssrc;
    return 0;
}

TEST_F(MediaEngineTest, AThirdParticipantIsHeardByBothOthersOnceTheyAnswerOurOffers) {
    auto booth = join("call-5", 111, 96);
    auto agent = join("call-5", 109, 98);
    auto interpreter = join("call-5", 111, 96);
    ASSERT_TRUE(booth.result.ok && agent.result.ok && interpreter.result.ok);
    ASSERT_TRUE(booth.peer->connect());
    ASSERT_TRUE(agent.peer->connect());
    ASSERT_TRUE(interpreter.peer->connect());
    // Two participants needed no offer; the third brought one to everybody.
    const auto to_booth = answer_offer(booth, 1);
    const auto to_agent = answer_offer(agent, 1);
    const auto to_interpreter = answer_offer(interpreter, 1);
    ASSERT_EQ(to_booth.media.size(), 4u);
    EXPECT_EQ(to_booth.media[2].direction, sdp::Direction::SendOnly);

    for (std::uint16_t i = 0; i < 5; ++i)
        ASSERT_TRUE(interpreter.peer->send_rtp(make_rtp(111, i, 960u * i, 1001, 80)));
    for (std::uint16_t i = 0; i < 5; ++i)
        ASSERT_TRUE(agent.peer->send_rtp(make_rtp(109, i, 960u * i, 1001, 80)));
    ASSERT_TRUE(booth.peer->wait_for_rtp(10));
    ASSERT_TRUE(interpreter.peer->wait_for_rtp(5));
    std::map<std::uint32_t, std::size_t> at_booth;
    for (const auto& packet : booth.peer->rtp) ++at_booth[packet.ssrc];
    EXPECT_EQ(at_booth[ssrc_from(to_booth, interpreter, "audio")], 5u);
    EXPECT_EQ(at_booth[booth.audio_ssrc], 5u);  // the agent, on the first answer's section
    for (const auto& packet : interpreter.peer->rtp) {
        EXPECT_EQ(packet.ssrc, ssrc_from(to_interpreter, agent, "audio"));
        EXPECT_EQ(packet.payload_type, 111);
    }
    EXPECT_NE(ssrc_from(to_agent, interpreter, "video"), 0u);

    // An answer with no offer waiting changes nothing.
    EXPECT_EQ(accept(booth.result.participant_id, to_booth.to_string()),
              "no offer is waiting for an answer");

    // The interpreter leaves: the others are offered the same sections, its own inactive.
    engine.remove_participant(interpreter.result.participant_id);
    const auto after = answer_offer(booth, 2);
    ASSERT_EQ(after.media.size(), 4u);
    EXPECT_EQ(after.media[2].direction, sdp::Direction::Inactive);
    EXPECT_EQ(after.media[3].direction, sdp::Direction::Inactive);
    EXPECT_EQ(after.media[0].direction, sdp::Direction::SendRecv);
    const auto received = booth.peer->rtp.size();
    ASSERT_TRUE(agent.peer->send_rtp(make_rtp(109, 5, 960u * 5, 1001, 80)));
    ASSERT_TRUE(booth.peer->wait_for_rtp(received + 1));
    EXPECT_EQ(booth.peer->rtp.back().ssrc, booth.audio_ssrc);
}

// RFC 6544: a passive TCP candidate on the UDP candidate's port, after it and with a lower
// priority; a browser that can only use TCP calls through it.
TEST_F(MediaEngineTest, AnswerOffersTcpAfterUdpAndAPeerCallsOverIt) {
    auto booth = join("call-tcp", 111, 96);
    auto agent = join("call-tcp", 109, 98);
    ASSERT_TRUE(booth.result.ok && agent.result.ok);
    const auto& candidates = booth.answer->media.at(0).candidates;
    ASSERT_EQ(candidates.size(), 2u);
    std::string udp[8];
    std::string tcp[10];
    std::istringstream first(candidates[0]);
    std::istringstream second(candidates[1]);
    for (auto& field : udp) first >> field;
    for (auto& field : tcp) second >> field;
    EXPECT_EQ(udp[2], "udp");
    EXPECT_EQ(tcp[2], "tcp");
    EXPECT_LT(std::stoul(tcp[3]), std::stoul(udp[3]));
    EXPECT_EQ(tcp[4], udp[4]);
    EXPECT_EQ(tcp[5], udp[5]);
    EXPECT_EQ(tcp[8], "tcptype");
    EXPECT_EQ(tcp[9], "passive");

    ASSERT_TRUE(booth.peer->use_tcp());
    ASSERT_TRUE(booth.peer->connect());
    ASSERT_TRUE(agent.peer->connect());
    for (std::uint16_t i = 0; i < 10; ++i) {
        ASSERT_TRUE(booth.peer->send_rtp(make_rtp(96, 500 + i, 3000u * i, 2001, 1100)));
        ASSERT_TRUE(agent.peer->send_rtp(make_rtp(98, 900 + i, 3000u * i, 2001, 1100)));
    }
    EXPECT_TRUE(agent.peer->wait_for_rtp(10));
    EXPECT_TRUE(booth.peer->wait_for_rtp(10));
}

TEST(MediaEngine, ConsentTimeoutIsAnOption) {
    MediaEvents events;
    MediaEngine engine(events);
    MediaEngine::Options options{"127.0.0.1:0", "", 1};
    options.consent_timeout = 0ms;
    EXPECT_THROW(engine.start(options), std::invalid_argument);
    options.consent_timeout = 300ms;
    engine.start(options);
    const auto peer_ice = ice::IceLiteAgent::random_credentials();
    auto certificate = std::make_shared<dtls::DtlsCertificate>();
    std::promise<MediaEngine::JoinResult> joined;
    engine.create_participant("call-consent", "booth",
                              testing::chromium_like_offer(peer_ice, certificate->fingerprint()),
                              [&](MediaEngine::JoinResult r) { joined.set_value(std::move(r)); });
    const auto result = joined.get_future().get();
    ASSERT_TRUE(result.ok);
    // Nobody checks in: the participant goes after 300 ms, not 30 s.
    EXPECT_TRUE(events.wait_closed(result.participant_id));
    EXPECT_NE(events.closed[result.participant_id].find("consent"), std::string::npos);
    EXPECT_EQ(engine.stats().participants, 0u);
}

TEST(MediaEngine, BindingEverywhereNeedsAPublicIp) {
    MediaEvents events;
    MediaEngine engine(events);
    EXPECT_THROW(engine.start({"0.0.0.0:0", "", 1}), std::invalid_argument);
    EXPECT_THROW(engine.start({"nonsense", "", 1}), std::invalid_argument);
    engine.start({"0.0.0.0:0", "127.0.0.1", 1});
    EXPECT_EQ(engine.worker_addresses().size(), 1u);
}

}  // namespace
}  // namespace vg::rtc
