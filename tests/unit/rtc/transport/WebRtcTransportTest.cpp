#include <gtest/gtest.h>
#include <openssl/rand.h>

#include <deque>

#include "rtc/net/UdpSocket.hpp"
#include "rtc/stun/MessageWriter.hpp"
#include "rtc/transport/WebRtcTransport.hpp"

namespace vg::rtc::transport {
namespace {

using namespace std::chrono_literals;
using Clock = WebRtcTransport::Clock;

struct Recorder : WebRtcTransport::Listener {
    std::deque<std::vector<std::uint8_t>> sent;
    std::vector<net::SocketAddress> destinations;
    std::vector<net::SocketAddress> addresses;
    int connected = 0;
    std::string failure;
    std::vector<std::uint32_t> rtp_ssrcs;
    std::vector<std::uint8_t> application_data;

    void on_transport_send(WebRtcTransport&, std::span<const std::uint8_t> datagram,
                           const net::SocketAddress& to) override {
        sent.emplace_back(datagram.begin(), datagram.end());
        destinations.push_back(to);
    }
    void on_transport_address(WebRtcTransport&, const net::SocketAddress& address) override {
        addresses.push_back(address);
    }
    void on_transport_connected(WebRtcTransport&) override { ++connected; }
    void on_transport_failed(WebRtcTransport&, std::string_view reason) override {
        failure = reason;
    }
    void on_transport_rtp(WebRtcTransport&, rtp::RtpPacket& packet) override {
        rtp_ssrcs.push_back(packet.ssrc());
    }
    void on_transport_rtcp(WebRtcTransport&, std::span<std::uint8_t>) override {}
    void on_transport_application_data(WebRtcTransport&,
                                       std::span<const std::uint8_t> data) override {
        application_data.assign(data.begin(), data.end());
    }
};

struct Browser : dtls::DtlsTransport::Listener {
    std::deque<std::vector<std::uint8_t>> sent;
    std::optional<srtp::SrtpKeys> keys;
    void on_dtls_send(std::span<const std::uint8_t> datagram) override {
        sent.emplace_back(datagram.begin(), datagram.end());
    }
    void on_dtls_connected(const srtp::SrtpKeys& k) override { keys = k; }
    void on_dtls_failed(std::string_view) override {}
    void on_dtls_closed() override {}
    void on_dtls_application_data(std::span<const std::uint8_t>) override {}
};

class WebRtcTransportTest : public ::testing::Test {
  protected:
    std::shared_ptr<dtls::DtlsCertificate> server_certificate =
        std::make_shared<dtls::DtlsCertificate>();
    std::shared_ptr<dtls::DtlsCertificate> browser_certificate =
        std::make_shared<dtls::DtlsCertificate>();
    dtls::DtlsContext server_context{server_certificate};
    dtls::DtlsContext browser_context{browser_certificate};
    ice::Credentials server_ice = ice::IceLiteAgent::random_credentials();
    ice::Credentials browser_ice = ice::IceLiteAgent::random_credentials();
    net::SocketAddress browser_address = *net::SocketAddress::parse("127.0.0.1:50000");
    Recorder recorder;
    Browser browser;
    Clock::time_point start = Clock::now();
    WebRtcTransport transport{server_context,
                              {7, server_ice, browser_ice, browser_certificate->fingerprint(),
                               dtls::DtlsTransport::Role::Server, 30s},
                              recorder,
                              start};
    dtls::DtlsTransport browser_dtls{browser_context, dtls::DtlsTransport::Role::Client,
                                     server_certificate->fingerprint(), browser};

    std::vector<std::uint8_t> binding_request(const std::string& password, bool nominate) {
        std::array<std::uint8_t, stun::kTransactionIdSize> transaction{};
        RAND_bytes(transaction.data(), transaction.size());
        std::vector<std::uint8_t> buffer(512);
        stun::MessageWriter writer(buffer, stun::Method::Binding, stun::Class::Request,
                                   transaction);
        writer.add_username(server_ice.ufrag + ":" + browser_ice.ufrag);
        writer.add_priority(1);
        writer.add_ice_controlling(42);
        if (nominate) writer.add_use_candidate();
        writer.add_message_integrity(password);
        writer.add_fingerprint();
        buffer.resize(writer.finish());
        return buffer;
    }

    void pump() {
        for (int round = 0; round < 20 && (!browser.sent.empty() || !recorder.sent.empty());
             ++round) {
            while (!browser.sent.empty()) {
                transport.receive_dtls(browser.sent.front());
                browser.sent.pop_front();
            }
            while (!recorder.sent.empty()) {
                browser_dtls.receive(recorder.sent.front());
                recorder.sent.pop_front();
            }
        }
    }

    void connect() {
        transport.receive_stun(binding_request(server_ice.pwd, true), browser_address, start);
        recorder.sent.clear();  // the STUN answer
        browser_dtls.start();
        pump();
    }
};

TEST_F(WebRtcTransportTest, AnswersAValidCheckAndLearnsTheAddress) {
    transport.receive_stun(binding_request(server_ice.pwd, true), browser_address, start);
    ASSERT_EQ(recorder.sent.size(), 1u);
    EXPECT_EQ(recorder.destinations.at(0), browser_address);
    EXPECT_EQ(recorder.addresses, std::vector<net::SocketAddress>{browser_address});
    EXPECT_EQ(transport.remote_address(), browser_address);
    EXPECT_FALSE(transport.connected());
}

TEST_F(WebRtcTransportTest, CheckWithAWrongPasswordIsDroppedUnanswered) {
    transport.receive_stun(binding_request("not-the-password-at-all", true), browser_address,
                           start);
    EXPECT_TRUE(recorder.sent.empty());
    EXPECT_TRUE(recorder.addresses.empty());
    EXPECT_EQ(transport.dropped_packets(), 1u);
    EXPECT_FALSE(transport.remote_address());
}

TEST_F(WebRtcTransportTest, ConnectsThenCarriesSrtpAndApplicationData) {
    connect();
    ASSERT_TRUE(browser.keys);
    EXPECT_TRUE(transport.connected());
    EXPECT_EQ(recorder.connected, 1);

    srtp::SrtpSession outbound(srtp::SrtpSession::Direction::Outbound, browser.keys->profile,
                               browser.keys->local);
    std::vector<std::uint8_t> packet(net::UdpSocket::buffer_size);
    const std::uint8_t header[] = {0x80, 96, 0, 1, 0, 0, 0, 1, 0xca, 0xfe, 0xba, 0xbe};
    std::copy(std::begin(header), std::end(header), packet.begin());
    std::size_t size = sizeof(header) + 100;
    ASSERT_TRUE(outbound.protect_rtp(packet.data(), size, packet.size()));
    transport.receive_rtp(packet.data(), size);
    EXPECT_EQ(recorder.rtp_ssrcs, std::vector<std::uint32_t>{0xcafebabe});

    // Replayed: refused by SRTP, counted.
    transport.receive_rtp(packet.data(), size);
    EXPECT_EQ(recorder.rtp_ssrcs.size(), 1u);
    EXPECT_EQ(transport.dropped_packets(), 1u);

    const std::vector<std::uint8_t> sctp{1, 2, 3, 4};
    ASSERT_TRUE(browser_dtls.send_application_data(sctp));
    pump();
    EXPECT_EQ(recorder.application_data, sctp);
}

TEST_F(WebRtcTransportTest, IceRestartMovesToTheNewPathAndKeepsDtlsAndSrtp) {
    connect();
    ASSERT_TRUE(browser.keys);
    const auto old_server_ice = server_ice;
    const auto old_browser_ice = browser_ice;
    server_ice = ice::IceLiteAgent::random_credentials();
    browser_ice = ice::IceLiteAgent::random_credentials();
    transport.restart_ice(server_ice, browser_ice, start + 1s);
    EXPECT_EQ(transport.local_ufrag(), server_ice.ufrag);
    EXPECT_EQ(transport.retired_ufrag(), old_server_ice.ufrag);

    // The browser nominates a path on its new network with the new credentials.
    const auto moved = *net::SocketAddress::parse("127.0.0.1:50008");
    transport.receive_stun(binding_request(server_ice.pwd, true), moved, start + 2s);
    ASSERT_EQ(recorder.sent.size(), 1u);
    recorder.sent.clear();
    EXPECT_EQ(transport.remote_address(), moved);
    EXPECT_TRUE(transport.connected());
    EXPECT_EQ(recorder.connected, 1);  // no second handshake
    EXPECT_TRUE(browser.sent.empty());

    // The same SRTP keys both ways.
    srtp::SrtpSession outbound(srtp::SrtpSession::Direction::Outbound, browser.keys->profile,
                               browser.keys->local);
    std::vector<std::uint8_t> packet(net::UdpSocket::buffer_size);
    const std::uint8_t header[] = {0x80, 96, 0, 1, 0, 0, 0, 1, 0xca, 0xfe, 0xba, 0xbe};
    std::copy(std::begin(header), std::end(header), packet.begin());
    std::size_t size = sizeof(header) + 100;
    ASSERT_TRUE(outbound.protect_rtp(packet.data(), size, packet.size()));
    transport.receive_rtp(packet.data(), size);
    EXPECT_EQ(recorder.rtp_ssrcs, std::vector<std::uint32_t>{0xcafebabe});
    std::copy(std::begin(header), std::end(header), packet.begin());
    size = sizeof(header) + 100;
    ASSERT_TRUE(transport.protect_rtp(packet.data(), size, packet.size()));
    srtp::SrtpSession inbound(srtp::SrtpSession::Direction::Inbound, browser.keys->profile,
                              browser.keys->remote);
    EXPECT_TRUE(inbound.unprotect_rtp(packet.data(), size));

    // The old session ended with that nomination: its checks are dropped now.
    server_ice = old_server_ice;
    browser_ice = old_browser_ice;
    transport.receive_stun(binding_request(server_ice.pwd, false), browser_address, start + 3s);
    EXPECT_TRUE(recorder.sent.empty());
}

TEST_F(WebRtcTransportTest, SilenceBeyondTheConsentTimeoutFailsTheTransport) {
    connect();
    transport.on_tick(start + 29s);
    EXPECT_TRUE(recorder.failure.empty());
    transport.receive_stun(binding_request(server_ice.pwd, false), browser_address, start + 29s);
    transport.on_tick(start + 58s);
    EXPECT_TRUE(recorder.failure.empty());
    transport.on_tick(start + 60s);
    EXPECT_NE(recorder.failure.find("consent"), std::string::npos);
    EXPECT_TRUE(transport.failed());
}

}  // namespace
}  // namespace vg::rtc::transport
