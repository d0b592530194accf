#pragma once
// The data channels of one participant (RFC 8831): an SCTP association carried in DTLS
// application data (RFC 8261), on usrsctp, and the channels the browser and we open on it with
// DCEP (RFC 8832). SCTP is symmetric: both ends connect to port 5000 and the INITs meet.
//
// The owner feeds every DTLS application record to receive() and sends what the Listener gets
// in on_sctp_send() as DTLS application data. Messages come out whole (up to
// max_message_size), ordered as the channel asks, through on_sctp_message().
//
// Single-threaded: its worker's. usrsctp's callbacks only queue (see UsrSctpLibrary); this class
// acts on them within receive(), send() and on_tick(). Listener callbacks must not destroy it.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/sctp/DcepMessage.hpp"
#include "rtc/sctp/UsrSctpLibrary.hpp"

namespace vg::rtc::sctp {

class SctpAssociation {
  public:
    enum class State { New, Connecting, Connected, Closed };
    enum class MessageType { Text, Binary };

    struct Channel {
        std::uint16_t stream = 0;
        std::string label;
        std::string protocol;
        bool unordered = false;
        bool opened_by_us = false;
    };

    class Listener {
      public:
        virtual ~Listener() = default;
        // One SCTP packet for the peer, to send as DTLS application data.
        virtual void on_sctp_send(SctpAssociation& association,
                                  std::span<const std::uint8_t> packet) = 0;
        // A whole message received on an open channel.
        virtual void on_sctp_message(SctpAssociation& association, const Channel& channel,
                                     MessageType type, std::span<const std::uint8_t> payload) = 0;
    };

    struct Options {
        std::uint64_t id = 0;  // the participant's id, for the owner and the logs
        // The DTLS client opens channels on even streams, the server on odd (RFC 8832 s. 6).
        bool dtls_client = false;
        std::uint16_t port = 5000;  // ours and the peer's (a=sctp-port)
        // Largest message either way (our a=max-message-size; Chromium's is the same).
        std::size_t max_message_size = 262144;
        // What may wait unacknowledged toward the peer; a send that does not fit is refused.
        std::size_t send_buffer = 1024 * 1024;
        std::size_t max_channels = 64;
    };

    // Throws std::runtime_error when usrsctp cannot make the socket.
    SctpAssociation(Options options, Listener& listener);
    ~SctpAssociation();
    SctpAssociation(const SctpAssociation&) = delete;
    SctpAssociation& operator=(const SctpAssociation&) = delete;

    // Sends our INIT. receive() does it too when the peer's INIT comes first.
    void connect();
    // One DTLS application record: an SCTP packet from the peer.
    void receive(std::span<const std::uint8_t> packet);
    // Sends one message on the first channel labelled `label`, opening one (DCEP) if there is
    // none. False, and counted, when not connected, too large, or the send buffer is full.
    bool send(std::string_view label, MessageType type, std::span<const std::uint8_t> payload);
    bool send_text(std::string_view label, std::string_view text);
    // Delivers what usrsctp's timers (run by any worker) produced for us; call every tick.
    void on_tick();

    std::uint64_t id() const { return id_; }
    State state() const { return state_; }
    const std::vector<Channel>& channels() const { return channels_; }
    const Channel* find(std::string_view label) const;
    std::uint64_t dropped_messages() const { return dropped_; }

  private:
    void configure();
    void process();
    void on_event(UsrSctpLibrary::Event& event);
    void on_data(std::uint16_t stream, std::uint32_t ppid, std::span<const std::uint8_t> bytes);
    void on_dcep(std::uint16_t stream, std::span<const std::uint8_t> bytes);
    void on_notification(std::span<const std::uint8_t> bytes);
    void on_streams_reset(std::span<const std::uint16_t> streams);
    Channel* open_channel(std::string_view label);
    bool send_raw(std::uint16_t stream, Ppid ppid, bool unordered,
                  std::span<const std::uint8_t> payload);
    void reset_outgoing(std::span<const std::uint16_t> streams);
    Channel* channel_on(std::uint16_t stream);
    void close(std::string_view reason);

    std::uint64_t id_;
    Options options_;
    Listener& listener_;
    UsrSctpLibrary::Route route_;
    struct socket* socket_ = nullptr;  // Allocated by this (usrsctp).
    State state_ = State::New;
    std::uint16_t outbound_streams_ = 0;
    std::uint16_t next_stream_;
    std::vector<Channel> channels_;
    std::vector<UsrSctpLibrary::Event> events_;  // reused between takes
    bool processing_ = false;
    // A message usrsctp delivers in pieces, until its last one.
    std::vector<std::uint8_t> partial_;
    bool partial_too_large_ = false;
    std::uint64_t dropped_ = 0;
};

}  // namespace vg::rtc::sctp
