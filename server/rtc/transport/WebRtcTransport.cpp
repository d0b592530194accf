#include "rtc/transport/WebRtcTransport.hpp"

#include <array>

#include "common/Log.hpp"

namespace vg::rtc::transport {

WebRtcTransport::WebRtcTransport(const dtls::DtlsContext& context, Options options,
                                 Listener& listener, Clock::time_point now)
    : id_(options.id),
      listener_(listener),
      ice_(std::move(options.local_ice)),
      dtls_(context, options.dtls_role, std::move(options.remote_fingerprint), *this),
      created_(now),
      consent_timeout_(options.consent_timeout) {
    ice_.set_remote_credentials(std::move(options.remote_ice));
    // As DTLS client we speak first, but only once ICE gives us somewhere to speak to.
    if (dtls_.role() == dtls::DtlsTransport::Role::Server) dtls_.start();
}

WebRtcTransport::~WebRtcTransport() = default;

void WebRtcTransport::receive_stun(std::span<const std::uint8_t> datagram,
                                   const net::SocketAddress& from, Clock::time_point now) {
    if (failed_) return;
    sockaddr_storage storage{};
    from.to_sockaddr(storage);
    std::array<std::uint8_t, 512> response{};
    const auto result = ice_.handle_binding_request(
        datagram, reinterpret_cast<const sockaddr*>(&storage), response, now);
    if (result.verdict == ice::IceLiteAgent::Verdict::Dropped) {
        ++dropped_;
        return;
    }
    if (result.verdict == ice::IceLiteAgent::Verdict::Answered)
        listener_.on_transport_address(*this, from);
    if (result.response_size != 0)
        listener_.on_transport_send(*this, {response.data(), result.response_size}, from);
    if (result.nominated) {
        // `from`, not the agent's sockaddr: it also says whether the path is UDP or TCP.
        if (from != remote_address_) {
            common::log::get("ice")->debug("participant {} nominated {}", id_, from.to_string());
            remote_address_ = from;
            announce_connected();
        }
    } else if (!remote_address_ && result.verdict == ice::IceLiteAgent::Verdict::Answered) {
        // Until the browser nominates, answer DTLS on the first path that passed a check.
        remote_address_ = from;
    }
    if (remote_address_ && dtls_.state() == dtls::DtlsTransport::State::New) dtls_.start();
}

void WebRtcTransport::restart_ice(ice::Credentials local, ice::Credentials remote,
                                  Clock::time_point now) {
    retired_ufrag_ = ice_.local_credentials().ufrag;
    common::log::get("ice")->info("participant {} restarts ICE", id_);
    ice_.restart(std::move(local), std::move(remote), now);
}

void WebRtcTransport::receive_dtls(std::span<const std::uint8_t> datagram) {
    if (failed_) return;
    dtls_.receive(datagram);
}

void WebRtcTransport::receive_rtp(std::uint8_t* data, std::size_t size) {
    if (!inbound_ || failed_ || !inbound_->unprotect_rtp(data, size)) {
        ++dropped_;
        return;
    }
    auto packet = rtp::RtpPacket::parse({data, size});
    if (!packet) {
        ++dropped_;
        return;
    }
    listener_.on_transport_rtp(*this, *packet);
}

void WebRtcTransport::receive_rtcp(std::uint8_t* data, std::size_t size) {
    if (!inbound_ || failed_ || !inbound_->unprotect_rtcp(data, size)) {
        ++dropped_;
        return;
    }
    listener_.on_transport_rtcp(*this, {data, size});
}

bool WebRtcTransport::protect_rtp(std::uint8_t* data, std::size_t& size, std::size_t capacity) {
    return connected() && !failed_ && outbound_->protect_rtp(data, size, capacity);
}

bool WebRtcTransport::protect_rtcp(std::uint8_t* data, std::size_t& size, std::size_t capacity) {
    return connected() && !failed_ && outbound_->protect_rtcp(data, size, capacity);
}

void WebRtcTransport::on_tick(Clock::time_point now) {
    if (failed_) return;
    dtls_.handle_timer();
    const auto last = ice_.last_valid_request().value_or(created_);
    if (now - last > consent_timeout_) fail("ICE consent expired");
}

void WebRtcTransport::close() {
    dtls_.close();
    failed_ = true;
}

void WebRtcTransport::on_dtls_send(std::span<const std::uint8_t> datagram) {
    if (remote_address_) listener_.on_transport_send(*this, datagram, *remote_address_);
}

void WebRtcTransport::on_dtls_connected(const srtp::SrtpKeys& keys) {
    try {
        inbound_ = std::make_unique<srtp::SrtpSession>(srtp::SrtpSession::Direction::Inbound,
                                                       keys.profile, keys.remote);
        outbound_ = std::make_unique<srtp::SrtpSession>(srtp::SrtpSession::Direction::Outbound,
                                                        keys.profile, keys.local);
    } catch (const std::exception& error) {
        fail(error.what());
        return;
    }
    common::log::get("dtls")->info("participant {} connected ({})", id_,
                                   srtp::openssl_name(keys.profile));
    announce_connected();
}

void WebRtcTransport::announce_connected() {
    if (announced_ || !connected() || failed_) return;
    announced_ = true;
    listener_.on_transport_connected(*this);
}

void WebRtcTransport::on_dtls_failed(std::string_view reason) {
    fail(reason);
}

void WebRtcTransport::on_dtls_closed() {
    fail("DTLS closed by the peer");
}

void WebRtcTransport::on_dtls_application_data(std::span<const std::uint8_t> data) {
    listener_.on_transport_application_data(*this, data);
}

void WebRtcTransport::fail(std::string_view reason) {
    if (failed_) return;
    failed_ = true;
    listener_.on_transport_failed(*this, reason);
}

}  // namespace vg::rtc::transport
