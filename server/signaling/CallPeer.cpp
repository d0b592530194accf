#include "signaling/CallPeer.hpp"

#include <nlohmann/json.hpp>

#include "common/Log.hpp"
#include "common/Secret.hpp"
#include "signaling/ClientMessage.hpp"

namespace vg::signaling {
namespace {

using nlohmann::json;

constexpr std::uint16_t kCloseNormal = 1000;
constexpr std::uint16_t kCloseServerError = 1011;
constexpr std::uint16_t kCloseUnauthorized = 4401;
constexpr std::uint16_t kCloseCallFull = 4409;
// As HTTP's 421 Misdirected Request: POST /sessions/{id}/join names the node that hosts it now.
constexpr std::uint16_t kCloseOtherNode = 4421;
constexpr std::size_t kMaxTokenBytes = 4096;

// A non-empty string field, else nullopt.
std::optional<std::string> string_field(const json& message, const char* name) {
    auto found = message.find(name);
    if (found == message.end() || !found->is_string()) return std::nullopt;
    auto value = found->get<std::string>();
    if (value.empty()) return std::nullopt;
    return value;
}

}  // namespace

CallPeer::CallPeer(CallHub& hub, std::shared_ptr<http::WebSocketConnection> connection,
                   CallPeerLimits limits)
    : hub_(hub), limits_(limits), connection_(std::move(connection)) {}

void CallPeer::start() {
    hub_.schedule(limits_.join_timeout, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->on_join_deadline();
    });
}

void CallPeer::on_message(std::string text) {
    auto read = read_client_message(text, limits_.max_message_bytes);
    if (const auto* error = std::get_if<ClientMessageError>(&read)) {
        send_error(error->code, error->message);
        return;
    }
    const auto& [message, type] = std::get<ClientMessage>(read);
    if (type == "join") return on_join(message);

    State state;
    {
        std::lock_guard lock(mutex_);
        state = state_;
    }
    if (state == State::Ended) return;
    if (type != "offer" && type != "answer" && type != "candidate" && type != "leave") {
        send_error("unknown_type", "unknown message type \"" + type + "\"");
        return;
    }
    if (state != State::Joined) {
        send_error("not_joined", "the first message must be a join");
        return;
    }
    if (type == "offer") return on_offer(message);
    if (type == "answer") return on_answer(message);
    if (type == "leave") return on_leave();
    // Trickled candidates: the server is ICE-lite and the browser's host candidates in its SDP
    // suffice, since the server answers whatever address its checks come from.
}

void CallPeer::on_close() {
    std::string participant_id;
    {
        std::lock_guard lock(mutex_);
        if (state_ == State::Ended) return;
        bool joined = state_ == State::Joined;
        state_ = State::Ended;
        if (!joined) return;
        participant_id = participant_id_;
    }
    common::log::get("signaling")->info("participant {} disconnected", participant_id);
    auto others = hub_.forget(participant_id);
    hub_.media().remove_participant(participant_id);
    for (const auto& other : others) other.peer->send_participant_event("left", claims_.role);
}

void CallPeer::on_join(const json& message) {
    {
        std::lock_guard lock(mutex_);
        if (state_ == State::Ended) return;
        if (state_ == State::Joined) {
            send_error("already_joined", "one join per connection");
            return;
        }
    }
    auto token = string_field(message, "join_token");
    std::optional<JoinClaims> claims;
    if (token && token->size() <= kMaxTokenBytes) {
        try {
            claims = hub_.verify(*token);
        } catch (const std::exception& e) {
            common::log::get("signaling")->error("join token verification failed: {}", e.what());
            send_error("unavailable", "the join token could not be checked now");
            connection_->close(kCloseServerError, "unavailable");
            std::lock_guard lock(mutex_);
            state_ = State::Ended;
            return;
        }
    }
    if (!claims) {
        send_error("unauthorized", "invalid or expired join token");
        connection_->close(kCloseUnauthorized, "unauthorized");
        std::lock_guard lock(mutex_);
        state_ = State::Ended;
        return;
    }

    CallHub::Admission admission;
    {
        std::lock_guard lock(mutex_);
        if (state_ != State::AwaitingJoin) return;  // the deadline passed while verifying
        auto participant_id = common::secret::random_token(16);
        admission = hub_.admit(shared_from_this(), participant_id, *claims);
        if (admission.elsewhere) {
            state_ = State::Ended;
            send_error("other_node", "this node does not host the call session: join again");
            connection_->close(kCloseOtherNode, "other node");
            return;
        }
        if (!admission.admitted) {
            state_ = State::Ended;
            send_error("call_full", "this call session has no room for another participant");
            connection_->close(kCloseCallFull, "call full");
            return;
        }
        // Sent while holding the lock, so that no "participant" message can precede it.
        state_ = State::Joined;
        participant_id_ = participant_id;
        claims_ = *claims;
        send({{"type", "joined"}, {"participant_id", participant_id}, {"role", claims->role}});
    }
    common::log::get("signaling")
        ->info("participant {} joined call session {} as {}{}", participant_id_, claims->session_id,
               claims->role, admission.replaced ? " (replacing)" : "");
    if (admission.replaced) admission.replaced->end("replaced");
    for (const auto& other : admission.others) {
        if (admission.replaced) other.peer->send_participant_event("left", claims->role);
        other.peer->send_participant_event("joined", claims->role);
        send_participant_event("joined", other.role);
    }
}

void CallPeer::on_offer(const json& message) {
    auto sdp = string_field(message, "sdp");
    if (!sdp) {
        send_error("bad_message", "an offer needs sdp");
        return;
    }
    std::string participant_id;
    JoinClaims claims;
    {
        std::lock_guard lock(mutex_);
        if (negotiation_ == Negotiation::Stable) {
            negotiation_ = Negotiation::RestartPending;
            participant_id = participant_id_;
        } else if (negotiation_ != Negotiation::None) {
            send_error("unexpected_offer",
                       negotiation_ == Negotiation::ServerOfferPending ||
                               negotiation_ == Negotiation::AnswerPending
                           ? "a server offer waits for its answer: answer it, then offer again"
                           : "the previous offer is still being answered");
            return;
        }
    }
    if (!participant_id.empty()) {
        hub_.media().restart_ice(
            participant_id, std::move(*sdp),
            [weak = weak_from_this()](std::optional<std::string> answer_sdp, std::string error) {
                if (auto self = weak.lock())
                    self->on_restart_answer(std::move(answer_sdp), std::move(error));
            });
        return;
    }
    {
        std::lock_guard lock(mutex_);
        if (negotiation_ != Negotiation::None) {
            send_error("unexpected_offer", "the previous offer is still being answered");
            return;
        }
        negotiation_ = Negotiation::ClientOfferPending;
        participant_id = participant_id_;
        claims = claims_;
    }
    auto& media = hub_.media();
    media.create_participant(
        participant_id, claims, std::move(*sdp),
        [weak = weak_from_this(), &media, participant_id](std::optional<std::string> answer_sdp,
                                                          std::string error) {
            if (auto self = weak.lock()) {
                self->on_media_answer(std::move(answer_sdp), std::move(error));
            } else if (answer_sdp) {
                media.remove_participant(participant_id);  // its connection went meanwhile
            }
        });
}

void CallPeer::on_media_answer(std::optional<std::string> answer_sdp, std::string error) {
    std::string participant_id;
    {
        std::lock_guard lock(mutex_);
        if (state_ == State::Joined) {
            if (answer_sdp) {
                negotiation_ = Negotiation::Stable;
                send({{"type", "answer"}, {"sdp", std::move(*answer_sdp)}});
            } else {
                negotiation_ = Negotiation::None;
                send_error("offer_rejected", error);
            }
            return;
        }
        participant_id = participant_id_;
    }
    // Ended while the SFU was still creating it: the removal then may have found nothing.
    if (answer_sdp && !participant_id.empty()) hub_.media().remove_participant(participant_id);
}

void CallPeer::on_restart_answer(std::optional<std::string> answer_sdp, std::string error) {
    std::lock_guard lock(mutex_);
    if (state_ != State::Joined || negotiation_ != Negotiation::RestartPending) return;
    negotiation_ = Negotiation::Stable;
    if (answer_sdp)
        send({{"type", "answer"}, {"sdp", std::move(*answer_sdp)}});
    else
        send_error("offer_rejected", error);
    if (deferred_offer_) {
        negotiation_ = Negotiation::ServerOfferPending;
        send({{"type", "offer"}, {"sdp", std::move(*deferred_offer_)}});
        deferred_offer_.reset();
    }
}

void CallPeer::on_answer(const json& message) {
    auto sdp = string_field(message, "sdp");
    if (!sdp) {
        send_error("bad_message", "an answer needs sdp");
        return;
    }
    std::string participant_id;
    {
        std::lock_guard lock(mutex_);
        if (negotiation_ != Negotiation::ServerOfferPending) {
            send_error("unexpected_answer", "no server offer is waiting for an answer");
            return;
        }
        negotiation_ = Negotiation::AnswerPending;
        participant_id = participant_id_;
    }
    hub_.media().accept_answer(participant_id, std::move(*sdp),
                               [weak = weak_from_this()](std::string error) {
                                   if (auto self = weak.lock()) self->on_answer_applied(error);
                               });
}

void CallPeer::on_answer_applied(const std::string& error) {
    std::lock_guard lock(mutex_);
    if (state_ != State::Joined || negotiation_ != Negotiation::AnswerPending) return;
    if (error.empty()) {
        negotiation_ = Negotiation::Stable;
        return;
    }
    // The offer still waits for a fitting answer.
    negotiation_ = Negotiation::ServerOfferPending;
    send_error("answer_rejected", error);
}

void CallPeer::on_leave() {
    end("left");
}

void CallPeer::on_join_deadline() {
    {
        std::lock_guard lock(mutex_);
        if (state_ != State::AwaitingJoin) return;
        state_ = State::Ended;
    }
    connection_->close(kCloseUnauthorized, "no join within the time limit");
}

void CallPeer::send_server_offer(std::string sdp) {
    std::lock_guard lock(mutex_);
    if (state_ == State::Joined && negotiation_ == Negotiation::RestartPending) {
        deferred_offer_ = std::move(sdp);
        return;
    }
    // The SFU offers only after its answer and the previous answer's result reached us.
    if (state_ != State::Joined || negotiation_ != Negotiation::Stable) {
        if (state_ == State::Joined)
            common::log::get("signaling")
                ->warn("participant {}: server offer out of turn dropped", participant_id_);
        return;
    }
    negotiation_ = Negotiation::ServerOfferPending;
    send({{"type", "offer"}, {"sdp", std::move(sdp)}});
}

void CallPeer::send_participant_event(const std::string& event, const std::string& role) {
    std::lock_guard lock(mutex_);
    if (state_ != State::Joined) return;
    send({{"type", "participant"}, {"event", event}, {"role", role}});
}

void CallPeer::end(const std::string& reason) {
    std::string participant_id;
    {
        std::lock_guard lock(mutex_);
        if (state_ == State::Ended) return;
        bool joined = state_ == State::Joined;
        state_ = State::Ended;
        if (joined) participant_id = participant_id_;
        send({{"type", "bye"}, {"reason", reason}});
    }
    connection_->close(kCloseNormal, reason);
    if (participant_id.empty()) return;
    common::log::get("signaling")->info("participant {} ended: {}", participant_id, reason);
    auto others = hub_.forget(participant_id);
    hub_.media().remove_participant(participant_id);
    for (const auto& other : others) other.peer->send_participant_event("left", claims_.role);
}

void CallPeer::send(const json& message) {
    connection_->send(message.dump(-1, ' ', false, json::error_handler_t::replace));
}

void CallPeer::send_error(const std::string& code, const std::string& message) {
    send({{"type", "error"}, {"code", code}, {"message", message}});
}

}  // namespace vg::signaling
