#include "rtc/dtls/DtlsTransport.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

#include "common/Log.hpp"

namespace vg::rtc::dtls {

// Each datagram OpenSSL writes goes straight to the Listener: a memory BIO would glue a whole
// flight into one buffer and lose the datagram boundaries OpenSSL sized to the MTU.
int dtls_transport_bio_write(BIO* bio, const char* data, int length) {
    auto* transport = static_cast<DtlsTransport*>(BIO_get_data(bio));
    if (transport == nullptr || length < 0) return -1;
    transport->listener_.on_dtls_send(
        {reinterpret_cast<const std::uint8_t*>(data), static_cast<std::size_t>(length)});
    return length;
}

namespace {

long outgoing_bio_ctrl(BIO*, int command, long, void*) {
    switch (command) {
        case BIO_CTRL_FLUSH:
            return 1;
        case BIO_CTRL_DGRAM_QUERY_MTU:
            return DtlsTransport::mtu;
        default:
            return 0;
    }
}

int outgoing_bio_create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

BIO_METHOD* outgoing_bio_method() {
    static BIO_METHOD* method = [] {
        BIO_METHOD* made = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "vg-dtls-out");
        if (made == nullptr) return made;
        BIO_meth_set_write(made, dtls_transport_bio_write);
        BIO_meth_set_ctrl(made, outgoing_bio_ctrl);
        BIO_meth_set_create(made, outgoing_bio_create);
        return made;
    }();
    return method;
}

// Retransmission back-off: 100 ms first (OpenSSL's default 1 s makes a lost packet cost a
// visible second at call start), doubling up to 4 s; OpenSSL gives up after 12 timeouts.
unsigned int retransmit_timer(SSL*, unsigned int previous_us) {
    if (previous_us == 0) return 100'000;
    return std::min(previous_us * 2, 4'000'000U);
}

bool same_fingerprint(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) ==
                      std::toupper(static_cast<unsigned char>(y));
           });
}

std::string openssl_error() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return "unknown";
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    return text;
}

}  // namespace

DtlsTransport::DtlsTransport(const DtlsContext& context, Role role, std::string remote_fingerprint,
                             Listener& listener)
    : role_(role), remote_fingerprint_(std::move(remote_fingerprint)), listener_(listener) {
    ssl_ = SSL_new(context.native());
    incoming_ = BIO_new(BIO_s_mem());
    BIO* outgoing = outgoing_bio_method() == nullptr ? nullptr : BIO_new(outgoing_bio_method());
    if (ssl_ == nullptr || incoming_ == nullptr || outgoing == nullptr) {
        SSL_free(ssl_);
        BIO_free(incoming_);
        BIO_free(outgoing);
        throw std::runtime_error("cannot make a DTLS connection");
    }
    // An empty memory BIO means "wait for more", not end of stream.
    BIO_set_mem_eof_return(incoming_, -1);
    BIO_set_data(outgoing, this);
    SSL_set_bio(ssl_, incoming_, outgoing);
    SSL_set_mtu(ssl_, mtu);
    DTLS_set_link_mtu(ssl_, mtu);
    DTLS_set_timer_cb(ssl_, retransmit_timer);
    if (role_ == Role::Client)
        SSL_set_connect_state(ssl_);
    else
        SSL_set_accept_state(ssl_);
    read_buffer_.resize(64 * 1024);
}

DtlsTransport::~DtlsTransport() {
    // The outgoing BIO points at this: no callback may reach a dead transport.
    BIO_set_data(SSL_get_wbio(ssl_), nullptr);
    SSL_free(ssl_);
}

void DtlsTransport::start() {
    if (state_ != State::New) return;
    state_ = State::Connecting;
    if (role_ == Role::Client) after_handshake_step(SSL_do_handshake(ssl_));
}

void DtlsTransport::receive(std::span<const std::uint8_t> datagram) {
    if (state_ == State::New) start();
    if (state_ != State::Connecting && state_ != State::Connected) return;
    if (datagram.empty() || datagram.size() > 16 * 1024) return;
    if (BIO_write(incoming_, datagram.data(), static_cast<int>(datagram.size())) <= 0) return;
    if (state_ == State::Connecting) after_handshake_step(SSL_do_handshake(ssl_));
    if (state_ == State::Connected) read_application_data();
    // Whatever OpenSSL did not consume (a stray or broken record) must not pile up.
    (void)BIO_reset(incoming_);
}

void DtlsTransport::after_handshake_step(int result) {
    if (result == 1) {
        on_connected();
        return;
    }
    const int error = SSL_get_error(ssl_, result);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
    fail("handshake failed: " + openssl_error());
}

void DtlsTransport::on_connected() {
    X509* peer = SSL_get1_peer_certificate(ssl_);
    const std::string fingerprint = DtlsCertificate::fingerprint_of(peer);
    X509_free(peer);
    if (fingerprint.empty() || !same_fingerprint(fingerprint, remote_fingerprint_)) {
        fail("the peer's certificate does not match its SDP fingerprint");
        return;
    }
    const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl_);
    const auto profile =
        selected == nullptr ? std::nullopt : srtp::profile_from_openssl_name(selected->name);
    if (!profile) {
        fail("no SRTP profile negotiated");
        return;
    }
    const std::size_t key_length = srtp::master_key_length(*profile);
    const std::size_t salt_length = srtp::master_salt_length(*profile);
    // RFC 5764 4.2: client key | server key | client salt | server salt.
    std::vector<std::uint8_t> material(2 * (key_length + salt_length));
    static constexpr char label[] = "EXTRACTOR-dtls_srtp";
    if (SSL_export_keying_material(ssl_, material.data(), material.size(), label, sizeof(label) - 1,
                                   nullptr, 0, 0) != 1) {
        fail("cannot export the SRTP keying material");
        return;
    }
    const auto key_and_salt = [&](bool client) {
        std::vector<std::uint8_t> out;
        const auto key = material.begin() + (client ? 0 : static_cast<long>(key_length));
        const auto salt = material.begin() + static_cast<long>(2 * key_length) +
                          (client ? 0 : static_cast<long>(salt_length));
        out.insert(out.end(), key, key + static_cast<long>(key_length));
        out.insert(out.end(), salt, salt + static_cast<long>(salt_length));
        return out;
    };
    srtp::SrtpKeys keys;
    keys.profile = *profile;
    keys.local = key_and_salt(role_ == Role::Client);
    keys.remote = key_and_salt(role_ != Role::Client);
    state_ = State::Connected;
    common::log::get("dtls")->debug("DTLS connected, SRTP profile {}",
                                    srtp::openssl_name(*profile));
    listener_.on_dtls_connected(keys);
}

void DtlsTransport::read_application_data() {
    while (state_ == State::Connected) {
        const int read = SSL_read(ssl_, read_buffer_.data(), static_cast<int>(read_buffer_.size()));
        if (read > 0) {
            listener_.on_dtls_application_data(
                {read_buffer_.data(), static_cast<std::size_t>(read)});
            continue;
        }
        const int error = SSL_get_error(ssl_, read);
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
        if (error == SSL_ERROR_ZERO_RETURN) {
            state_ = State::Closed;
            listener_.on_dtls_closed();
            return;
        }
        fail("read failed: " + openssl_error());
        return;
    }
}

std::optional<std::chrono::milliseconds> DtlsTransport::timeout() const {
    if (state_ != State::Connecting) return std::nullopt;
    timeval remaining{};
    if (DTLSv1_get_timeout(ssl_, &remaining) != 1) return std::nullopt;
    return std::chrono::milliseconds(remaining.tv_sec * 1000 + remaining.tv_usec / 1000);
}

void DtlsTransport::handle_timer() {
    if (state_ != State::Connecting) return;
    if (DTLSv1_handle_timeout(ssl_) < 0) fail("handshake timed out");
}

bool DtlsTransport::send_application_data(std::span<const std::uint8_t> data) {
    if (state_ != State::Connected || data.empty() || data.size() > 16 * 1024) return false;
    return SSL_write(ssl_, data.data(), static_cast<int>(data.size())) ==
           static_cast<int>(data.size());
}

void DtlsTransport::close() {
    if (state_ == State::Connected) SSL_shutdown(ssl_);
    if (state_ != State::Failed) state_ = State::Closed;
}

void DtlsTransport::fail(std::string_view reason) {
    if (state_ == State::Failed || state_ == State::Closed) return;
    ERR_clear_error();
    state_ = State::Failed;
    common::log::get("dtls")->info("DTLS failed: {}", reason);
    listener_.on_dtls_failed(reason);
}

}  // namespace vg::rtc::dtls
