#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <thread>

#include "rtc/dtls/DtlsTransport.hpp"
#include "rtc/srtp/SrtpSession.hpp"

namespace vg::rtc::dtls {
namespace {

struct Peer : DtlsTransport::Listener {
    std::deque<std::vector<std::uint8_t>> outbox;
    std::optional<srtp::SrtpKeys> keys;
    std::string failure;
    bool closed = false;
    std::vector<std::uint8_t> application_data;

    void on_dtls_send(std::span<const std::uint8_t> datagram) override {
        EXPECT_LE(datagram.size(), static_cast<std::size_t>(DtlsTransport::mtu));
        outbox.emplace_back(datagram.begin(), datagram.end());
    }
    void on_dtls_connected(const srtp::SrtpKeys& k) override { keys = k; }
    void on_dtls_failed(std::string_view reason) override { failure = reason; }
    void on_dtls_closed() override { closed = true; }
    void on_dtls_application_data(std::span<const std::uint8_t> data) override {
        application_data.assign(data.begin(), data.end());
    }
};

class DtlsTransportTest : public ::testing::Test {
  protected:
    std::shared_ptr<DtlsCertificate> client_certificate = std::make_shared<DtlsCertificate>();
    std::shared_ptr<DtlsCertificate> server_certificate = std::make_shared<DtlsCertificate>();
    DtlsContext client_context{client_certificate};
    DtlsContext server_context{server_certificate};
    Peer client_peer;
    Peer server_peer;

    // Delivers queued datagrams both ways until both sides are quiet.
    void pump(DtlsTransport& client, DtlsTransport& server) {
        for (int round = 0; round < 50; ++round) {
            if (client_peer.outbox.empty() && server_peer.outbox.empty()) return;
            while (!client_peer.outbox.empty()) {
                auto datagram = std::move(client_peer.outbox.front());
                client_peer.outbox.pop_front();
                server.receive(datagram);
            }
            while (!server_peer.outbox.empty()) {
                auto datagram = std::move(server_peer.outbox.front());
                server_peer.outbox.pop_front();
                client.receive(datagram);
            }
        }
    }
};

TEST(DtlsCertificate, FingerprintIsSha256InUpperCaseHexPairs) {
    DtlsCertificate certificate;
    const auto& fingerprint = certificate.fingerprint();
    ASSERT_EQ(fingerprint.size(), 32u * 3 - 1);
    for (std::size_t i = 0; i < fingerprint.size(); ++i) {
        if (i % 3 == 2)
            EXPECT_EQ(fingerprint[i], ':');
        else
            EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(fingerprint[i])) &&
                        !std::islower(static_cast<unsigned char>(fingerprint[i])));
    }
    EXPECT_NE(fingerprint, DtlsCertificate().fingerprint());
}

TEST_F(DtlsTransportTest, HandshakeExportsMatchingGcmKeysThatKeySrtp) {
    DtlsTransport client(client_context, DtlsTransport::Role::Client,
                         server_certificate->fingerprint(), client_peer);
    DtlsTransport server(server_context, DtlsTransport::Role::Server,
                         client_certificate->fingerprint(), server_peer);
    server.start();
    client.start();
    pump(client, server);

    ASSERT_EQ(client.state(), DtlsTransport::State::Connected) << client_peer.failure;
    ASSERT_EQ(server.state(), DtlsTransport::State::Connected) << server_peer.failure;
    ASSERT_TRUE(client_peer.keys && server_peer.keys);
    EXPECT_EQ(client_peer.keys->profile, srtp::SrtpProfile::AeadAes128Gcm);
    EXPECT_EQ(server_peer.keys->profile, srtp::SrtpProfile::AeadAes128Gcm);
    EXPECT_EQ(client_peer.keys->local, server_peer.keys->remote);
    EXPECT_EQ(client_peer.keys->remote, server_peer.keys->local);
    EXPECT_NE(client_peer.keys->local, client_peer.keys->remote);
    EXPECT_EQ(client_peer.keys->local.size(), 16u + 12u);

    // The client protects with its local key; the server unprotects with its remote key.
    srtp::SrtpSession outbound(srtp::SrtpSession::Direction::Outbound, client_peer.keys->profile,
                               client_peer.keys->local);
    srtp::SrtpSession inbound(srtp::SrtpSession::Direction::Inbound, server_peer.keys->profile,
                              server_peer.keys->remote);
    std::vector<std::uint8_t> packet{0x80, 111,  0, 1, 0, 0, 0, 160, 0xaa, 0xbb,
                                     0xcc, 0xdd, 1, 2, 3, 4, 5, 6,   7,    8};
    const auto original = packet;
    std::size_t size = packet.size();
    packet.resize(size + srtp::SrtpSession::max_trailer);
    ASSERT_TRUE(outbound.protect_rtp(packet.data(), size, packet.size()));
    ASSERT_TRUE(inbound.unprotect_rtp(packet.data(), size));
    packet.resize(size);
    EXPECT_EQ(packet, original);
}

TEST_F(DtlsTransportTest, ApplicationDataAndCloseNotifyPassThrough) {
    DtlsTransport client(client_context, DtlsTransport::Role::Client,
                         server_certificate->fingerprint(), client_peer);
    DtlsTransport server(server_context, DtlsTransport::Role::Server,
                         client_certificate->fingerprint(), server_peer);
    client.start();
    pump(client, server);
    ASSERT_EQ(server.state(), DtlsTransport::State::Connected);
    const std::vector<std::uint8_t> data{1, 2, 3, 4, 5};
    ASSERT_TRUE(client.send_application_data(data));
    pump(client, server);
    EXPECT_EQ(server_peer.application_data, data);
    client.close();
    pump(client, server);
    EXPECT_TRUE(server_peer.closed);
    EXPECT_EQ(server.state(), DtlsTransport::State::Closed);
}

TEST_F(DtlsTransportTest, WrongFingerprintFailsTheTransport) {
    DtlsTransport client(client_context, DtlsTransport::Role::Client,
                         server_certificate->fingerprint(), client_peer);
    // The server was told another certificate's fingerprint, as if the SDP had been altered.
    DtlsTransport server(server_context, DtlsTransport::Role::Server,
                         DtlsCertificate().fingerprint(), server_peer);
    client.start();
    pump(client, server);
    EXPECT_EQ(server.state(), DtlsTransport::State::Failed);
    EXPECT_FALSE(server_peer.keys);
    EXPECT_NE(server_peer.failure.find("fingerprint"), std::string::npos);
}

TEST_F(DtlsTransportTest, LostFlightIsRetransmittedByTheTimer) {
    DtlsTransport client(client_context, DtlsTransport::Role::Client,
                         server_certificate->fingerprint(), client_peer);
    DtlsTransport server(server_context, DtlsTransport::Role::Server,
                         client_certificate->fingerprint(), server_peer);
    server.start();
    client.start();
    ASSERT_FALSE(client_peer.outbox.empty());
    client_peer.outbox.clear();  // the ClientHello is lost
    pump(client, server);
    EXPECT_EQ(server.state(), DtlsTransport::State::Connecting);

    const auto due = client.timeout();
    ASSERT_TRUE(due);
    EXPECT_LE(*due, std::chrono::milliseconds(100));
    client.handle_timer();  // not due yet: nothing happens
    EXPECT_TRUE(client_peer.outbox.empty());
    std::this_thread::sleep_for(*due + std::chrono::milliseconds(20));
    client.handle_timer();
    ASSERT_FALSE(client_peer.outbox.empty());
    pump(client, server);
    EXPECT_EQ(client.state(), DtlsTransport::State::Connected);
    EXPECT_EQ(server.state(), DtlsTransport::State::Connected);
}

TEST_F(DtlsTransportTest, GarbageDoesNotConnect) {
    DtlsTransport server(server_context, DtlsTransport::Role::Server,
                         client_certificate->fingerprint(), server_peer);
    server.start();
    const std::vector<std::uint8_t> garbage{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 1, 2};
    server.receive(garbage);
    EXPECT_NE(server.state(), DtlsTransport::State::Connected);
    EXPECT_FALSE(server_peer.keys);
}

}  // namespace
}  // namespace vg::rtc::dtls
