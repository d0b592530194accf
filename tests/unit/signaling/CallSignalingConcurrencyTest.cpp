#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "signaling/CallSignaling.hpp"

namespace vg::signaling {
namespace {

// Answers at once, on the calling thread, as the engine does for refusals it finds early.
class InstantMedia : public CallMedia {
  public:
    void set_listener(Listener* l) override { listener = l; }
    void create_participant(const std::string& participant_id, const JoinClaims&, std::string,
                            AnswerCallback done) override {
        {
            std::lock_guard lock(mutex);
            present.insert(participant_id);
        }
        done(std::string("v=0 answer"), "");
    }
    void accept_answer(const std::string&, std::string, AcceptCallback done) override { done(""); }
    void restart_ice(const std::string&, std::string, AnswerCallback done) override {
        done(std::string("v=0 restarted"), "");
    }
    void remove_participant(const std::string& participant_id) override {
        std::lock_guard lock(mutex);
        present.erase(participant_id);
    }
    std::size_t count() {
        std::lock_guard lock(mutex);
        return present.size();
    }
    std::string any() {
        std::lock_guard lock(mutex);
        return present.empty() ? std::string() : *present.begin();
    }

    std::atomic<Listener*> listener = nullptr;
    std::mutex mutex;
    std::set<std::string> present;
};

class CountingConnection : public http::WebSocketConnection {
  public:
    void send(std::string) override { ++sent; }
    void close(std::uint16_t, std::string) override { ++closed; }
    const std::string& remote_address() const override { return address; }
    std::atomic<int> sent = 0;
    std::atomic<int> closed = 0;
    std::string address = "127.0.0.1";
};

// Joins, reloads (same identities), leaves, disconnects and media failures from many threads at
// once: nothing deadlocks, and at the end no participant is left in signaling or in the SFU.
TEST(CallSignalingConcurrencyTest, ManyCallsJoiningAndLeavingAtOnceLeaveNothingBehind) {
    InstantMedia media;
    CallSignaling signaling{media,
                            [](const std::string& token) -> std::optional<JoinClaims> {
                                // "session/role/identity"
                                auto first = token.find('/');
                                auto second = token.find('/', first + 1);
                                return JoinClaims{token.substr(0, first),
                                                  token.substr(first + 1, second - first - 1),
                                                  token.substr(second + 1)};
                            },
                            [](std::chrono::milliseconds, std::function<void()>) {},
                            CallSignalingOptions{std::chrono::milliseconds(5000), 64 * 1024, 4}};

    std::atomic<bool> stop = false;
    std::thread failures([&] {
        while (!stop) {
            auto id = media.any();
            if (!id.empty()) media.listener.load()->on_media_failed(id, "dtls failed");
            std::this_thread::yield();
        }
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&signaling, t] {
            const std::string session = "session-" + std::to_string(t % 3);
            const std::string role = t % 2 ? "agent" : "booth";
            const std::string token = session + "/" + role + "/" + role + "-" + session;
            for (int i = 0; i < 300; ++i) {
                auto connection = std::make_shared<CountingConnection>();
                auto peer = signaling.open(connection);
                peer->on_message(R"({"type":"join","join_token":")" + token + "\"}");
                peer->on_message(R"({"type":"offer","sdp":"v=0 offer"})");
                if (i % 3 == 0) peer->on_message(R"({"type":"leave"})");
                peer->on_close();
            }
        });
    }
    for (auto& thread : threads) thread.join();
    stop = true;
    failures.join();
    EXPECT_EQ(signaling.participant_count(), 0u);
    EXPECT_EQ(media.count(), 0u);
}

}  // namespace
}  // namespace vg::signaling
