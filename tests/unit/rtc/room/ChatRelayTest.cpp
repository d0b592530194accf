// The chat between a call session's participants (room::ChatRelay), over real SCTP data channels
// in DTLS, driven through a worker with simulated peers.
#include <gtest/gtest.h>

#include <string>

#include "rtc/room/ChatRelay.hpp"
#include "unit/rtc/worker/WorkerFixture.hpp"

namespace vg::rtc::worker {
namespace {

class ChatRelayTest : public WorkerFixture {
  protected:
    void SetUp() override {
        WorkerFixture::SetUp();
        std::uint64_t id = 0;
        booth = join("chat-call", settings(111, 96, 1, 0x1000, 0x1001), id);
        agent = join("chat-call", settings(109, 100, 5, 0x2000, 0x2001), id);
        ASSERT_TRUE(booth->connect());
        ASSERT_TRUE(agent->connect());
        ASSERT_TRUE(booth->connect_data_channels());
        ASSERT_TRUE(agent->connect_data_channels());
    }
    // Polls both peers (each one's SCTP answers the other's) until the agent holds count lines.
    bool agent_reads(std::size_t count, std::chrono::milliseconds limit = 2s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (agent->chat.size() < count && std::chrono::steady_clock::now() < deadline) {
            booth->poll(5ms);
            agent->poll(5ms);
        }
        return agent->chat.size() >= count;
    }

    std::unique_ptr<SimulatedPeer> booth;
    std::unique_ptr<SimulatedPeer> agent;
};

constexpr auto burst = static_cast<std::size_t>(room::ChatRelay::chat_message_burst);

TEST_F(ChatRelayTest, ALineFromTheBoothReachesTheAgent) {
    ASSERT_TRUE(booth->send_chat("Bonjour"));
    ASSERT_TRUE(agent_reads(1));
    EXPECT_EQ(agent->chat.front(), "Bonjour");
}

TEST_F(ChatRelayTest, AFloodIsHeldToTheRateAndTheSenderStaysInTheCall) {
    constexpr std::size_t flood = 200;
    const auto started = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < flood; ++i) ASSERT_TRUE(booth->send_chat(std::to_string(i)));
    // Until the worker has read every line: relayed to the agent, or dropped.
    std::uint64_t dropped = 0;
    while (agent->chat.size() + dropped < flood &&
           std::chrono::steady_clock::now() < started + 10s) {
        booth->poll(5ms);
        agent->poll(5ms);
        dropped = on_worker([&] { return worker.stats().chat_messages_dropped; });
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    ASSERT_EQ(agent->chat.size() + dropped, flood);
    // The burst passes, in order; beyond it only what the rate refilled meanwhile.
    ASSERT_GE(agent->chat.size(), burst);
    EXPECT_LE(static_cast<double>(agent->chat.size()),
              room::ChatRelay::chat_message_burst +
                  room::ChatRelay::chat_messages_per_second * took.count() + 1);
    for (std::size_t i = 0; i < burst; ++i) EXPECT_EQ(agent->chat[i], std::to_string(i));
    EXPECT_EQ(on_worker([&] { return worker.stats().participants; }), 2u);
    EXPECT_FALSE(booth->dtls_closed);

    // Once the rate has refilled a token, the booth is heard again.
    const std::size_t before = agent->chat.size();
    booth->poll(300ms);
    ASSERT_TRUE(booth->send_chat("encore là"));
    ASSERT_TRUE(agent_reads(before + 1));
    EXPECT_EQ(agent->chat.back(), "encore là");
}

TEST_F(ChatRelayTest, OneParticipantsFloodLeavesTheOthersRateWhole) {
    for (std::size_t i = 0; i < 3 * burst; ++i) ASSERT_TRUE(booth->send_chat("flood"));
    agent_reads(3 * burst, 500ms);
    for (std::size_t i = 0; i < burst; ++i) ASSERT_TRUE(agent->send_chat("réponse"));
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (booth->chat.size() < burst && std::chrono::steady_clock::now() < deadline) {
        agent->poll(5ms);
        booth->poll(5ms);
    }
    EXPECT_EQ(booth->chat.size(), burst);
}

}  // namespace
}  // namespace vg::rtc::worker
