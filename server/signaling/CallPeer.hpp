#pragma once
// One /rtc/v1 WebSocket: waits for the join, then carries one participant's negotiation.
// on_message and on_close come on the connection's strand; media results, server offers, the join
// deadline and other participants' news come on other threads, so the state has a mutex. Lock
// order: a peer's mutex, then the hub's; no peer calls another while holding its own.
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "http/WebSocket.hpp"
#include "signaling/CallHub.hpp"
#include "signaling/JoinClaims.hpp"

namespace vg::signaling {

struct CallPeerLimits {
    std::chrono::milliseconds join_timeout{5000};
    std::size_t max_message_bytes = 64 * 1024;
};

class CallPeer : public http::WebSocketPeer, public std::enable_shared_from_this<CallPeer> {
  public:
    CallPeer(CallHub& hub, std::shared_ptr<http::WebSocketConnection> connection,
             CallPeerLimits limits);

    // Arms the join deadline; called once, right after construction.
    void start();

    void on_message(std::string text) override;
    void on_close() override;

    // From the SFU: a new offer for this participant's browser.
    void send_server_offer(std::string sdp);
    // Another participant of the same call joined or left.
    void send_participant_event(const std::string& event, const std::string& role);
    // Ends the participation from the server side: bye, removal from the SFU, "left" to the
    // others still registered with it, close.
    void end(const std::string& reason);

  private:
    enum class State { AwaitingJoin, Joined, Ended };
    // The client offers once, right after joining; every later negotiation is the server's,
    // one at a time, except an ICE restart the client offers when its network changed. Offers
    // never cross: a client offer while a server offer waits for its answer is refused with
    // unexpected_offer and changes nothing (the client answers, then offers again); a server
    // offer made while a restart is being answered waits for that answer.
    enum class Negotiation {
        None,
        ClientOfferPending,
        Stable,
        ServerOfferPending,
        AnswerPending,
        RestartPending
    };

    void on_join(const nlohmann::json& message);
    void on_offer(const nlohmann::json& message);
    void on_answer(const nlohmann::json& message);
    void on_leave();
    void on_join_deadline();
    void on_media_answer(std::optional<std::string> answer_sdp, std::string error);
    void on_restart_answer(std::optional<std::string> answer_sdp, std::string error);
    void on_answer_applied(const std::string& error);

    void send(const nlohmann::json& message);
    void send_error(const std::string& code, const std::string& message);

    CallHub& hub_;
    CallPeerLimits limits_;
    std::shared_ptr<http::WebSocketConnection> connection_;

    std::mutex mutex_;
    State state_ = State::AwaitingJoin;
    Negotiation negotiation_ = Negotiation::None;
    std::string participant_id_;                 // set when joined
    std::optional<std::string> deferred_offer_;  // a server offer waiting for a restart's answer
    JoinClaims claims_;
};

}  // namespace vg::signaling
