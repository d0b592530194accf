#pragma once
// The network side of one participant: ICE-lite (answers the browser's checks, follows its
// nomination), DTLS (keys), SRTP/SRTCP both ways. Datagrams arrive already demultiplexed by the
// worker (RFC 7983); sends go out through the Listener to the remote address ICE selected.
//
// Single-threaded (the owning worker). The packet path never throws or allocates. Listener
// callbacks must not destroy the transport; the worker defers removal.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rtc/dtls/DtlsTransport.hpp"
#include "rtc/ice/IceLiteAgent.hpp"
#include "rtc/net/SocketAddress.hpp"
#include "rtc/rtp/RtpPacket.hpp"
#include "rtc/srtp/SrtpSession.hpp"

namespace vg::rtc::transport {

class WebRtcTransport final : private dtls::DtlsTransport::Listener {
  public:
    using Clock = std::chrono::steady_clock;

    class Listener {
      public:
        virtual ~Listener() = default;
        // A datagram (STUN answer, DTLS record) to send to `to`.
        virtual void on_transport_send(WebRtcTransport& transport,
                                       std::span<const std::uint8_t> datagram,
                                       const net::SocketAddress& to) = 0;
        // A remote address passed an ICE check: route what comes from it to this transport.
        virtual void on_transport_address(WebRtcTransport& transport,
                                          const net::SocketAddress& address) = 0;
        // DTLS done and SRTP keyed: media may flow.
        virtual void on_transport_connected(WebRtcTransport& transport) = 0;
        // DTLS failed or closed, or ICE consent expired: the transport is dead.
        virtual void on_transport_failed(WebRtcTransport& transport, std::string_view reason) = 0;
        // A decrypted RTP packet, rewritable in place (buffer has UdpSocket::buffer_size).
        virtual void on_transport_rtp(WebRtcTransport& transport, rtp::RtpPacket& packet) = 0;
        // A decrypted RTCP compound packet.
        virtual void on_transport_rtcp(WebRtcTransport& transport,
                                       std::span<std::uint8_t> compound) = 0;
        // DTLS application data: SCTP packets of the data channels.
        virtual void on_transport_application_data(WebRtcTransport&,
                                                   std::span<const std::uint8_t>) {}
    };

    struct Options {
        std::uint64_t id = 0;  // the participant's id, for the owner's tables and logs
        ice::Credentials local_ice;
        ice::Credentials remote_ice;
        std::string remote_fingerprint;  // sha-256, from the peer's SDP
        dtls::DtlsTransport::Role dtls_role = dtls::DtlsTransport::Role::Server;
        // A participant silent this long (no valid ICE check) is failed (RFC 7675).
        Clock::duration consent_timeout = std::chrono::seconds(30);
    };

    WebRtcTransport(const dtls::DtlsContext& context, Options options, Listener& listener,
                    Clock::time_point now);
    ~WebRtcTransport() override;
    WebRtcTransport(const WebRtcTransport&) = delete;
    WebRtcTransport& operator=(const WebRtcTransport&) = delete;

    std::uint64_t id() const { return id_; }
    const std::string& local_ufrag() const { return ice_.local_credentials().ufrag; }
    // The local ufrag before the last ICE restart ("" when none): the owner routes it here
    // until the next restart, the agent accepts it for a grace (IceLiteAgent::restart).
    const std::string& retired_ufrag() const { return retired_ufrag_; }
    // An ICE restart (the browser's network changed): new credentials both sides, the same
    // DTLS association and SRTP keys; media stays on the current path until the browser
    // nominates a new one.
    void restart_ice(ice::Credentials local, ice::Credentials remote, Clock::time_point now);
    bool connected() const { return inbound_ && outbound_ && remote_address_; }
    bool failed() const { return failed_; }
    // The path the browser nominated (UDP or TCP, see SocketAddress::protocol).
    const std::optional<net::SocketAddress>& remote_address() const { return remote_address_; }

    void receive_stun(std::span<const std::uint8_t> datagram, const net::SocketAddress& from,
                      Clock::time_point now);
    void receive_dtls(std::span<const std::uint8_t> datagram);
    // data points into a buffer of UdpSocket::buffer_size bytes, decrypted in place.
    void receive_rtp(std::uint8_t* data, std::size_t size);
    void receive_rtcp(std::uint8_t* data, std::size_t size);

    // Protect in place for sending to remote_address(); false when not connected or refused.
    bool protect_rtp(std::uint8_t* data, std::size_t& size, std::size_t capacity);
    bool protect_rtcp(std::uint8_t* data, std::size_t& size, std::size_t capacity);

    // Sends DTLS application data (an SCTP packet); false when not connected or too large.
    bool send_application_data(std::span<const std::uint8_t> data) {
        return !failed_ && dtls_.send_application_data(data);
    }
    // The DTLS client opens data channels on even SCTP streams, the server on odd (RFC 8832).
    bool dtls_client() const { return dtls_.role() == dtls::DtlsTransport::Role::Client; }

    // DTLS retransmission and ICE consent; call on every worker tick.
    void on_tick(Clock::time_point now);
    // Sends DTLS close_notify; the transport stays usable for nothing else.
    void close();

    std::uint64_t dropped_packets() const { return dropped_; }

  private:
    void on_dtls_send(std::span<const std::uint8_t> datagram) override;
    void on_dtls_connected(const srtp::SrtpKeys& keys) override;
    void on_dtls_failed(std::string_view reason) override;
    void on_dtls_closed() override;
    void on_dtls_application_data(std::span<const std::uint8_t> data) override;
    void fail(std::string_view reason);
    // Tells the listener once, when both DTLS and a remote address are there.
    void announce_connected();

    std::uint64_t id_;
    Listener& listener_;
    ice::IceLiteAgent ice_;
    dtls::DtlsTransport dtls_;
    std::unique_ptr<srtp::SrtpSession> inbound_;   // Allocated by this once DTLS is done.
    std::unique_ptr<srtp::SrtpSession> outbound_;  // Allocated by this once DTLS is done.
    std::optional<net::SocketAddress> remote_address_;
    std::string retired_ufrag_;
    Clock::time_point created_;
    Clock::duration consent_timeout_;
    bool failed_ = false;
    bool announced_ = false;
    std::uint64_t dropped_ = 0;
};

}  // namespace vg::rtc::transport
