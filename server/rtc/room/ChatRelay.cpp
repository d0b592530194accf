#include "rtc/room/ChatRelay.hpp"

#include <exception>
#include <string>

#include "common/Log.hpp"

namespace vg::rtc::room {

void ChatRelay::on_data(Participant& from, std::span<const std::uint8_t> data,
                        Clock::time_point now) {
    now_ = now;
    if (!from.data_channels) {
        sctp::SctpAssociation::Options options;
        options.id = from.id();
        options.dtls_client = from.transport().dtls_client();
        try {
            from.data_channels = std::make_unique<sctp::SctpAssociation>(
                options, static_cast<sctp::SctpAssociation::Listener&>(*this));
        } catch (const std::exception& error) {
            common::log::get("sctp")->error("participant {}: no data channels: {}", from.id(),
                                            error.what());
            return;
        }
        from.chat_tokens.emplace(chat_messages_per_second, chat_message_burst, now);
    }
    from.data_channels->receive(data);
}

void ChatRelay::on_sctp_send(sctp::SctpAssociation& association,
                             std::span<const std::uint8_t> packet) {
    if (Participant* participant = participants_.find(association.id()))
        participant->transport().send_application_data(packet);
}

void ChatRelay::on_sctp_message(sctp::SctpAssociation& association,
                                const sctp::SctpAssociation::Channel& channel,
                                sctp::SctpAssociation::MessageType type,
                                std::span<const std::uint8_t> payload) {
    if (channel.label != chat_label || type != sctp::SctpAssociation::MessageType::Text) return;
    Participant* sender = participants_.find(association.id());
    if (sender == nullptr || !sender->chat_tokens) return;
    if (!sender->chat_tokens->take(now_)) {
        ++sender->chat_messages_dropped;
        return;
    }
    const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
    for (auto& other : participants_)
        if (other->id() != association.id() && other->data_channels)
            other->data_channels->send_text(chat_label, text);
}

void ChatRelay::on_tick(Participant& participant) {
    if (participant.data_channels) participant.data_channels->on_tick();
}

}  // namespace vg::rtc::room
