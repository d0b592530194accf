#pragma once
// The data channels of a call session's participants: each participant's SCTP association,
// made when its browser's first SCTP packet arrives, and the relay of text on its `chat` channel
// to every other participant's `chat` channel.
#include <cstdint>
#include <span>
#include <string_view>

#include "rtc/room/Participant.hpp"
#include "rtc/room/ParticipantList.hpp"
#include "rtc/sctp/SctpAssociation.hpp"

namespace vg::rtc::room {

class ChatRelay final : private sctp::SctpAssociation::Listener {
  public:
    static constexpr std::string_view chat_label = "chat";

    explicit ChatRelay(const ParticipantList& participants) : participants_(participants) {}

    // DTLS application data from a participant: the SCTP packets of its data channels.
    void on_data(Participant& from, std::span<const std::uint8_t> data);
    // SCTP timers.
    void on_tick(Participant& participant);

  private:
    void on_sctp_send(sctp::SctpAssociation& association,
                      std::span<const std::uint8_t> packet) override;
    void on_sctp_message(sctp::SctpAssociation& association,
                         const sctp::SctpAssociation::Channel& channel,
                         sctp::SctpAssociation::MessageType type,
                         std::span<const std::uint8_t> payload) override;

    const ParticipantList& participants_;
};

}  // namespace vg::rtc::room
