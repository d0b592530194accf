#pragma once
// The browser side of one participant, made of our own protocol code: ICE binding requests
// (controlling, with USE-CANDIDATE), a DTLS client, SRTP both ways, on a loopback UDP socket or,
// after use_tcp(), on an ICE-TCP connection (RFC 4571 frames) to the server's port; and, after
// connect_data_channels(), data channels (SCTP over DTLS) as a browser's chat.
// Tests drive it from their own thread; nothing here is thread-safe.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rtc/dtls/DtlsTransport.hpp"
#include "rtc/ice/IceLiteAgent.hpp"
#include "rtc/net/TcpFramer.hpp"
#include "rtc/net/UdpSocket.hpp"
#include "rtc/sctp/SctpAssociation.hpp"
#include "rtc/srtp/SrtpSession.hpp"

namespace vg::rtc::testing {

struct ReceivedRtp {
    std::uint8_t payload_type;
    std::uint16_t sequence;
    std::uint32_t timestamp;
    std::uint32_t ssrc;
    std::vector<std::uint8_t> bytes;  // the whole decrypted packet
};

class SimulatedPeer : private dtls::DtlsTransport::Listener,
                      private sctp::SctpAssociation::Listener {
  public:
    // server_ice: the participant's local credentials (what our SDP answer carried).
    // own_ice and certificate: what the peer's offer announced (made fresh when absent).
    SimulatedPeer(net::SocketAddress server, ice::Credentials server_ice,
                  std::string server_fingerprint, std::optional<ice::Credentials> own_ice = {},
                  std::shared_ptr<dtls::DtlsCertificate> certificate = nullptr,
                  dtls::DtlsTransport::Role role = dtls::DtlsTransport::Role::Client);
    ~SimulatedPeer() override;

    const ice::Credentials& ice_credentials() const { return ice_; }
    const std::string& fingerprint() const { return certificate_->fingerprint(); }
    const net::SocketAddress& local_address() const { return socket_->local_address(); }

    // Opens a TCP connection to the server's port (the passive candidate) and sends everything
    // there from now on; false when the connection is refused.
    bool use_tcp();
    // Sends everything from a new UDP socket (a new source port): an address change.
    void move_to_new_port();
    // Closes the TCP connection (the server sees the end of stream).
    void close_tcp();

    // ICE check with USE-CANDIDATE, then the DTLS handshake; true when SRTP is keyed.
    bool connect(std::chrono::milliseconds limit = std::chrono::seconds(5));
    // One more binding request (consent refresh).
    void send_binding_request(bool nominate);
    bool send_rtp(std::span<const std::uint8_t> packet);
    bool send_rtcp(std::span<const std::uint8_t> packet);
    // Keys SRTP directly, skipping ICE and DTLS (the forwarding ceiling benchmark).
    void use_keys(const srtp::SrtpKeys& keys);
    // Reads whatever arrives during `duration`.
    void poll(std::chrono::milliseconds duration);
    // Polls until count RTP packets are held or the limit passes.
    bool wait_for_rtp(std::size_t count, std::chrono::milliseconds limit = std::chrono::seconds(3));
    bool wait_for_rtcp(std::size_t count,
                       std::chrono::milliseconds limit = std::chrono::seconds(3));
    // After connect(): the SCTP association over DTLS; true once it is up.
    bool connect_data_channels(std::chrono::milliseconds limit = std::chrono::seconds(3));
    // One text message on the `chat` channel (opened by the first).
    bool send_chat(std::string_view text);
    // Text received on `chat`.
    std::vector<std::string> chat;

    // Received RTP is kept in `rtp` unless keep_received is false (load runs); always counted.
    bool keep_received = true;
    // Sends wait for flush() (one sendmmsg for many packets) when true.
    bool batch_sends = false;
    // The RTP packet with this sequence number is lost on the way in, once (downlink loss).
    std::optional<std::uint16_t> lose_rtp_sequence;
    void flush() { socket_->flush(); }
    // SRTP packets that arrived under the (SSRC, rollover counter, sequence number) of an
    // earlier one with other bytes: the same AES-GCM nonce used twice. Counted on the wire,
    // before any loss or decryption, while keep_received is true.
    std::size_t srtp_nonce_reuses = 0;
    std::size_t srtp_packets_seen = 0;
    std::uint64_t rtp_received = 0;
    std::vector<ReceivedRtp> rtp;
    std::vector<std::vector<std::uint8_t>> rtcp;
    std::size_t stun_responses = 0;
    bool dtls_failed = false;
    bool dtls_closed = false;

  private:
    void on_dtls_send(std::span<const std::uint8_t> datagram) override;
    void on_dtls_connected(const srtp::SrtpKeys& keys) override;
    void on_dtls_failed(std::string_view reason) override;
    void on_dtls_closed() override;
    void on_dtls_application_data(std::span<const std::uint8_t> data) override;
    void on_sctp_send(sctp::SctpAssociation& association,
                      std::span<const std::uint8_t> packet) override;
    void on_sctp_message(sctp::SctpAssociation& association,
                         const sctp::SctpAssociation::Channel& channel,
                         sctp::SctpAssociation::MessageType type,
                         std::span<const std::uint8_t> payload) override;
    std::unique_ptr<sctp::SctpAssociation> data_channels_;

    net::SocketAddress server_;
    ice::Credentials server_ice_;
    ice::Credentials ice_;
    std::shared_ptr<dtls::DtlsCertificate> certificate_;
    std::unique_ptr<dtls::DtlsContext> context_;
    std::unique_ptr<net::UdpSocket> socket_;
    int tcp_fd_ = -1;
    std::unique_ptr<net::TcpFramer> tcp_frames_;
    void send_datagram(std::span<const std::uint8_t> datagram);
    void handle(std::uint8_t* data, std::size_t size);
    std::unique_ptr<dtls::DtlsTransport> dtls_;
    std::unique_ptr<srtp::SrtpSession> inbound_;
    std::unique_ptr<srtp::SrtpSession> outbound_;
    std::vector<std::uint8_t> scratch_ = std::vector<std::uint8_t>(net::UdpSocket::buffer_size);
    void check_srtp_index(std::span<const std::uint8_t> datagram);
    struct StreamIndex {
        std::uint16_t highest = 0;
        std::uint32_t rollover = 0;
    };
    std::map<std::uint32_t, StreamIndex> srtp_streams_;
    // (SSRC, 48-bit index) -> the protected bytes first seen.
    std::map<std::pair<std::uint32_t, std::uint64_t>, std::vector<std::uint8_t>> srtp_seen_;
    bool send_protected(std::span<const std::uint8_t> packet, bool control);
};

// An RTP packet: version 2, no CSRC; with a one-byte extension block when extension_id != 0.
std::vector<std::uint8_t> make_rtp(std::uint8_t payload_type, std::uint16_t sequence,
                                   std::uint32_t timestamp, std::uint32_t ssrc,
                                   std::size_t payload_size, std::uint8_t extension_id = 0,
                                   std::uint8_t extension_value = 0);

// A unified-plan offer shaped like Chromium's: BUNDLE, rtcp-mux, Opus (and PCMU) in section 0,
// VP8 with RTX in section 1, the usual header extensions, DTLS actpass, the given ICE
// credentials and certificate fingerprint.
std::string chromium_like_offer(const ice::Credentials& ice, const std::string& fingerprint,
                                std::uint8_t opus = 111, std::uint8_t vp8 = 96);

}  // namespace vg::rtc::testing
