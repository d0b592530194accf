#pragma once
// What the signaling tests stand in for: the WebSocket connection (records what the peer sends
// and how it closes) and the SFU (records what it was asked and lets the test answer).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/WebSocket.hpp"
#include "signaling/CallMedia.hpp"

namespace vg::signaling::test {

using nlohmann::json;

class FakeConnection : public http::WebSocketConnection {
  public:
    void send(std::string text) override { sent.push_back(json::parse(text)); }
    void close(std::uint16_t code, std::string reason) override {
        close_code = code;
        close_reason = std::move(reason);
    }
    const std::string& remote_address() const override { return address; }

    // The messages of a type, in order.
    std::vector<json> of_type(const std::string& type) const {
        std::vector<json> found;
        for (const auto& message : sent) {
            if (message["type"] == type) found.push_back(message);
        }
        return found;
    }

    std::vector<json> sent;
    std::uint16_t close_code = 0;
    std::string close_reason;
    std::string address = "127.0.0.1";
};

class FakeMedia : public CallMedia {
  public:
    struct Created {
        std::string participant_id;
        JoinClaims claims;
        std::string offer_sdp;
        AnswerCallback done;
    };
    void set_listener(Listener* l) override { listener = l; }
    void create_participant(const std::string& participant_id, const JoinClaims& claims,
                            std::string offer_sdp, AnswerCallback done) override {
        created.push_back({participant_id, claims, std::move(offer_sdp), std::move(done)});
    }
    void accept_answer(const std::string& participant_id, std::string answer_sdp,
                       AcceptCallback done) override {
        answers.push_back({participant_id, std::move(answer_sdp), std::move(done)});
    }
    void restart_ice(const std::string& participant_id, std::string offer_sdp,
                     AnswerCallback done) override {
        restarts.push_back({participant_id, {}, std::move(offer_sdp), std::move(done)});
    }
    void remove_participant(const std::string& participant_id) override {
        removed.push_back(participant_id);
    }

    Listener* listener = nullptr;
    std::vector<Created> created;
    std::vector<Created> restarts;  // claims unused
    struct Answer {
        std::string participant_id;
        std::string sdp;
        AcceptCallback done;
    };
    std::vector<Answer> answers;
    std::vector<std::string> removed;
};

}  // namespace vg::signaling::test
