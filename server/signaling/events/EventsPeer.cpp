#include "signaling/events/EventsPeer.hpp"

#include "signaling/ClientMessage.hpp"

namespace vg::signaling::events {

namespace {

using nlohmann::json;

constexpr std::uint16_t kCloseUnauthorized = 4401;

json principal_json(const desk::Principal& principal) {
    json roles = json::array();
    for (auto [bit, name] : {std::pair{desk::Role::Admin, "admin"},
                             {desk::Role::Scheduler, "scheduler"},
                             {desk::Role::Supervisor, "supervisor"},
                             {desk::Role::Agent, "agent"},
                             {desk::Role::Booth, "booth"}}) {
        if (principal.has(bit)) roles.push_back(name);
    }
    return {{"kind", principal.kind_name()},
            {"id", principal.id},
            {"roles", roles},
            {"site_ids", principal.site_ids}};
}

}  // namespace

EventsPeer::EventsPeer(EventsHub& hub, std::shared_ptr<http::WebSocketConnection> connection,
                       EventsPeerLimits limits, std::string upgrade_token)
    : hub_(hub),
      limits_(limits),
      connection_(std::move(connection)),
      upgrade_token_(std::move(upgrade_token)) {}

void EventsPeer::start() {
    hub_.schedule(limits_.hello_timeout, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->on_hello_deadline();
    });
}

void EventsPeer::on_message(std::string text) {
    auto read = read_client_message(text, limits_.max_message_bytes);
    if (const auto* error = std::get_if<ClientMessageError>(&read)) {
        send_error(error->code, error->message);
        return;
    }
    const auto& [message, name] = std::get<ClientMessage>(read);
    if (name == "hello") return on_hello(message);
    std::lock_guard lock(mutex_);
    if (state_ == State::Ended) return;
    if (name == "ping") {
        send({{"type", "pong"}});
    } else if (state_ != State::Admitted) {
        send({{"type", "error"},
              {"code", "not_authenticated"},
              {"message", "the first message must be a hello with a token"}});
    } else {
        send({{"type", "error"},
              {"code", "unknown_type"},
              {"message", "unknown message type \"" + name.substr(0, 64) + "\""}});
    }
}

void EventsPeer::on_close() {
    {
        std::lock_guard lock(mutex_);
        state_ = State::Ended;
        principal_.reset();
    }
    hub_.forget(this);
}

std::optional<desk::Principal> EventsPeer::principal() const {
    std::lock_guard lock(mutex_);
    if (state_ != State::Admitted) return std::nullopt;
    return principal_;
}

void EventsPeer::on_hello(const json& message) {
    std::string token;
    {
        std::lock_guard lock(mutex_);
        if (state_ == State::Ended) return;
        if (state_ != State::AwaitingHello) {
            send({{"type", "error"},
                  {"code", "already_authenticated"},
                  {"message", "one hello per connection"}});
            return;
        }
        auto found = message.find("token");
        if (found != message.end() && found->is_string()) token = found->get<std::string>();
        if (token.empty()) token = upgrade_token_;
        if (!token.empty()) state_ = State::Checking;
    }
    if (token.empty()) return end("unauthorized", "hello needs a token", kCloseUnauthorized);
    hub_.authenticate(shared_from_this(), std::move(token));
}

void EventsPeer::on_hello_deadline() {
    std::lock_guard lock(mutex_);
    if (state_ != State::AwaitingHello) return;
    state_ = State::Ended;
    send({{"type", "error"}, {"code", "unauthorized"}, {"message", "no hello in time"}});
    connection_->close(kCloseUnauthorized, "no hello in time");
}

bool EventsPeer::admit(const desk::Principal& principal, const json& snapshot) {
    std::lock_guard lock(mutex_);
    if (state_ != State::Checking) return false;
    state_ = State::Admitted;
    principal_ = principal;
    send({{"type", "hello"}, {"principal", principal_json(principal)}});
    if (auto booth = snapshot.find("booth"); booth != snapshot.end()) booth_state_ = booth->dump();
    send(snapshot);
    return true;
}

void EventsPeer::resync(const json& snapshot) {
    std::lock_guard lock(mutex_);
    if (state_ != State::Admitted) return;
    if (auto booth = snapshot.find("booth"); booth != snapshot.end()) booth_state_ = booth->dump();
    send(snapshot);
}

void EventsPeer::push(const json& message) {
    std::lock_guard lock(mutex_);
    if (state_ == State::Admitted) send(message);
}

void EventsPeer::push_booth_state(const json& state) {
    std::lock_guard lock(mutex_);
    if (state_ != State::Admitted) return;
    auto text = state.dump();
    if (text == booth_state_) return;
    booth_state_ = std::move(text);
    json message = state;
    message["type"] = "booth.state";
    send(message);
}

void EventsPeer::end(const std::string& code, const std::string& message,
                     std::uint16_t close_code) {
    std::lock_guard lock(mutex_);
    if (state_ == State::Ended) return;
    state_ = State::Ended;
    principal_.reset();
    send({{"type", "error"}, {"code", code}, {"message", message}});
    connection_->close(close_code, code);
}

void EventsPeer::send(const json& message) {
    connection_->send(message.dump(-1, ' ', false, json::error_handler_t::replace));
}

void EventsPeer::send_error(const std::string& code, const std::string& message) {
    std::lock_guard lock(mutex_);
    if (state_ == State::Ended) return;
    send({{"type", "error"}, {"code", code}, {"message", message}});
}

}  // namespace vg::signaling::events
