#pragma once
// One /api/v1/events WebSocket: waits for the hello, then carries what LiveEvents pushes to this
// principal. on_message and on_close come on the connection's strand; admission, pushes and the
// hello deadline come from other threads, so the state has a mutex. It is held while sending, so
// that messages leave in the order they were decided (hello, snapshot, then pushes).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "desk/Principal.hpp"
#include "http/WebSocket.hpp"
#include "signaling/events/EventsHub.hpp"

namespace vg::signaling::events {

struct EventsPeerLimits {
    std::chrono::milliseconds hello_timeout{5000};
    std::size_t max_message_bytes = 4096;
};

class EventsPeer : public http::WebSocketPeer, public std::enable_shared_from_this<EventsPeer> {
  public:
    // upgrade_token: what a hello without a token stands for (the upgrade's session cookie).
    EventsPeer(EventsHub& hub, std::shared_ptr<http::WebSocketConnection> connection,
               EventsPeerLimits limits, std::string upgrade_token = {});

    // Arms the hello deadline; called once, right after construction.
    void start();

    void on_message(std::string text) override;
    void on_close() override;

    // Set once the hello is answered; nullopt before and after the connection ended.
    std::optional<desk::Principal> principal() const;

    // From the hub, after the token check: hello back, then the snapshot. False when the
    // connection ended meanwhile.
    bool admit(const desk::Principal& principal, const nlohmann::json& snapshot);
    // The current state again (the database connection that tells of changes was lost).
    void resync(const nlohmann::json& snapshot);
    // A pushed event, if admitted.
    void push(const nlohmann::json& message);
    // A booth's state, when it differs from the last one this booth was told.
    void push_booth_state(const nlohmann::json& state);
    // An error message, then the close.
    void end(const std::string& code, const std::string& message, std::uint16_t close_code);

  private:
    enum class State { AwaitingHello, Checking, Admitted, Ended };

    void on_hello(const nlohmann::json& message);
    void on_hello_deadline();
    void send(const nlohmann::json& message);  // with mutex_ held
    void send_error(const std::string& code, const std::string& message);

    EventsHub& hub_;
    EventsPeerLimits limits_;
    std::shared_ptr<http::WebSocketConnection> connection_;
    std::string upgrade_token_;

    mutable std::mutex mutex_;
    State state_ = State::AwaitingHello;
    std::optional<desk::Principal> principal_;
    std::string booth_state_;  // the last booth state sent, serialized
};

}  // namespace vg::signaling::events
