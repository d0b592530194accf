#pragma once
// The data channels of a call session's participants: each participant's SCTP association,
// made when its browser's first SCTP packet arrives, and the relay of text on its `chat` channel
// to every other participant's `chat` channel. Each sender's chat has a rate (a token bucket per
// participant): a few quick lines pass, a flood is dropped here and counted, and the sender stays
// in the call (the browser may be the victim of a page script gone wrong, not an attacker).
#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>

#include "rtc/room/Participant.hpp"
#include "rtc/room/ParticipantList.hpp"
#include "rtc/sctp/SctpAssociation.hpp"

namespace vg::rtc::room {

class ChatRelay final : private sctp::SctpAssociation::Listener {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::string_view chat_label = "chat";
    // Typed by people: a pasted list or a few quick lines fit in the burst.
    static constexpr double chat_messages_per_second = 5;
    static constexpr double chat_message_burst = 20;

    explicit ChatRelay(const ParticipantList& participants) : participants_(participants) {}

    // DTLS application data from a participant: the SCTP packets of its data channels.
    void on_data(Participant& from, std::span<const std::uint8_t> data, Clock::time_point now);
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
    Clock::time_point now_{};  // of the data being read: its messages arrive during on_data
};

}  // namespace vg::rtc::room
