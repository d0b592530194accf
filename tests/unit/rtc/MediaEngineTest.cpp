#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <sstream>

#include "rtc/MediaEngine.hpp"
#include "rtc/net/SocketAddress.hpp"
#include "rtc/sdp/SessionDescription.hpp"
#include "worker/SimulatedPeer.hpp"

namespace vg::rtc {
namespace {

using namespace std::chrono_literals;
using testing::make_rtp;
using testing::SimulatedPeer;

struct Events : MediaEngine::Listener {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::uint64_t> connected;
    std::map<std::uint64_t, std::string> closed;
    void on_participant_connected(std::uint64_t id) override {
        std::lock_guard lock(mutex);
        connected.push_back(id);
        changed.notify_all();
    }
    void on_participant_closed(std::uint64_t id, std::string_view reason) override {
        std::lock_guard lock(mutex);
        closed[id] = std::string(reason);
        changed.notify_all();
    }
    void on_offer(std::uint64_t id, std::string sdp) override {
        std::lock_guard lock(mutex);
        offers[id].push_back(std::move(sdp));
        changed.notify_all();
    }
    std::map<std::uint64_t, std::vector<std::string>> offers;
    bool wait_offers(std::uint64_t id, std::size_t count) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 3s, [&] { return offers[id].size() >= count; });
    }
    bool wait_closed(std::uint64_t id) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 3s, [&] { return closed.contains(id); });
    }
};

struct Joined {
    MediaEngine::JoinResult result;
    std::optional<sdp::SessionDescription> answer;
    std::unique_ptr<SimulatedPeer> peer;
    std::uint32_t audio_ssrc = 0;  // what the server sends this participant
    std::uint32_t video_ssrc = 0;
};

class MediaEngineTest : public ::testing::Test {
  protected:
    Events events;
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
        const auto peer_ice = ice::IceLiteAgent::randomCredentials();
        auto certificate = std::make_shared<dtls::DtlsCertificate>();
        joined.result = create(
            room, testing::chromium_like_offer(peer_ice, certificate->fingerprint(), opus, vp8));
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
        joined.peer = std::make_unique<SimulatedPeer>(
            *net::SocketAddress::from_ip(ip, port), ice::Credentials{audio.iceUfrag, audio.icePwd},
            audio.fingerprint, peer_ice, certificate);
        return joined;
    }
};

TEST_F(MediaEngineTest, AnswerIsIceLitePassiveWithOurFingerprintAndCandidate) {
    auto booth = join("call-1", 111, 96);
    ASSERT_TRUE(booth.result.ok) << booth.result.error;
    ASSERT_TRUE(booth.answer);
    EXPECT_TRUE(booth.answer->iceLite);
    ASSERT_EQ(booth.answer->media.size(), 2u);
    for (const auto& section : booth.answer->media) {
        EXPECT_EQ(section.setup, sdp::Setup::Passive);
        EXPECT_EQ(section.fingerprint, engine.fingerprint());
        EXPECT_EQ(section.direction, sdp::Direction::SendRecv);
        EXPECT_EQ(section.ssrcs.size(), 1u);
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

TEST(MediaEngine, BindingEverywhereNeedsAPublicIp) {
    Events events;
    MediaEngine engine(events);
    EXPECT_THROW(engine.start({"0.0.0.0:0", "", 1}), std::invalid_argument);
    EXPECT_THROW(engine.start({"nonsense", "", 1}), std::invalid_argument);
    engine.start({"0.0.0.0:0", "127.0.0.1", 1});
    EXPECT_EQ(engine.worker_addresses().size(), 1u);
}

}  // namespace
}  // namespace vg::rtc
