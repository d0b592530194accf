#pragma once
// DTLS 1.2 for one WebRTC transport, on OpenSSL with no socket inside: the owner feeds received
// datagrams to receive() and sends what the Listener gets in on_dtls_send(). When the handshake
// ends and the peer's certificate matches the fingerprint from its SDP, the SRTP keying material
// is exported (RFC 5764 section 4.2) and handed to the Listener.
//
// Single-threaded (the worker's loop). Never throws after construction. A Listener callback must
// not destroy the transport; the owner defers that.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/dtls/DtlsContext.hpp"
#include "rtc/srtp/SrtpProfile.hpp"

using SSL = struct ssl_st;
using BIO = struct bio_st;

namespace vg::rtc::dtls {

class DtlsTransport {
  public:
    // Client sends the ClientHello (the peer answered a=setup:passive); Server waits for it
    // (we answer a=setup:passive to an offer's actpass or active).
    enum class Role { Client, Server };
    enum class State { New, Connecting, Connected, Failed, Closed };

    class Listener {
      public:
        virtual ~Listener() = default;
        // One DTLS datagram to send to the peer.
        virtual void on_dtls_send(std::span<const std::uint8_t> datagram) = 0;
        virtual void on_dtls_connected(const srtp::SrtpKeys& keys) = 0;
        // The handshake failed, timed out, or the peer's certificate did not match.
        virtual void on_dtls_failed(std::string_view reason) = 0;
        // The peer sent close_notify.
        virtual void on_dtls_closed() = 0;
        // Decrypted application data (SCTP for data channels).
        virtual void on_dtls_application_data(std::span<const std::uint8_t> data) = 0;
    };

    // remote_fingerprint: the peer's a=fingerprint sha-256 value ("AB:CD:...", any case).
    // Throws std::runtime_error if OpenSSL cannot make the connection object.
    DtlsTransport(const DtlsContext& context, Role role, std::string remote_fingerprint,
                  Listener& listener);
    ~DtlsTransport();
    DtlsTransport(const DtlsTransport&) = delete;
    DtlsTransport& operator=(const DtlsTransport&) = delete;

    // Begins the handshake (the client sends its first flight). Call once.
    void start();
    // One datagram received from the peer, first byte in [20, 63] (RFC 7983).
    void receive(std::span<const std::uint8_t> datagram);
    // Time until handle_timer() has retransmission work, while a handshake flight is pending.
    std::optional<std::chrono::milliseconds> timeout() const;
    // Retransmits the last flight if its timer expired; fails the transport after too many.
    // Cheap when nothing is due: the worker may call it on every tick.
    void handle_timer();
    // Encrypts application data; false if not connected or too large.
    bool send_application_data(std::span<const std::uint8_t> data);
    // Sends close_notify if connected; the transport is then Closed.
    void close();

    State state() const { return state_; }
    Role role() const { return role_; }

    // Largest datagram we let OpenSSL build: fits any path MTU a browser reaches us on.
    static constexpr int mtu = 1200;

  private:
    void after_handshake_step(int result);
    void read_application_data();
    void on_connected();
    void fail(std::string_view reason);
    friend int dtls_transport_bio_write(BIO*, const char*, int);

    Role role_;
    State state_ = State::New;
    std::string remote_fingerprint_;
    Listener& listener_;
    SSL* ssl_ = nullptr;       // Allocated by this; owns both BIOs.
    BIO* incoming_ = nullptr;  // Memory BIO we write received datagrams into.
    std::vector<std::uint8_t> read_buffer_;
};

}  // namespace vg::rtc::dtls
