// The worker: participants' lifetimes, transports over UDP and TCP, limits, and what it
// releases.
#include <dirent.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit/rtc/worker/TcpClient.hpp"
#include "unit/rtc/worker/WorkerFixture.hpp"

namespace vg::rtc::worker {
namespace {

class WorkerTest : public WorkerFixture {};

using testing::closed_by_server;
using testing::connect_tcp;

std::size_t open_descriptors() {
    std::size_t count = 0;
    if (DIR* directory = ::opendir("/proc/self/fd")) {
        while (::readdir(directory) != nullptr) ++count;
        ::closedir(directory);
    }
    return count;
}

TEST_F(WorkerTest, AWorkerThatStopsStillReportsEachParticipantsQuality) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-s", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-s", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    for (std::uint16_t i = 0; i < 3; ++i)
        ASSERT_TRUE(booth->send_rtp(make_rtp(96, 300 + i, 3000u * i, 0xb01, 200)));
    ASSERT_TRUE(agent->wait_for_rtp(3));
    worker.stop();
    std::lock_guard lock(events.mutex);
    ASSERT_EQ(events.quality.size(), 2u);
    for (const auto& summary : events.quality) {
        EXPECT_EQ(summary.room_id, "call-s");
        if (summary.participant_id == booth_id) {
            EXPECT_EQ(summary.packets_received, 3u);
        } else {
            EXPECT_EQ(summary.participant_id, agent_id);
            EXPECT_EQ(summary.packets_sent, 3u);
        }
    }
    EXPECT_TRUE(events.closed.empty()) << "nobody is told of a close: the engine is going away";
}

TEST_F(WorkerTest, WrongFingerprintEndsTheParticipant) {
    const std::uint64_t id = next_id++;
    const auto server_ice = ice::IceLiteAgent::random_credentials();
    SimulatedPeer peer(worker.local_address(), server_ice, context->certificate().fingerprint());
    Worker::ParticipantSpec spec;
    spec.room_id = "call-f";
    spec.transport.id = id;
    spec.transport.local_ice = server_ice;
    spec.transport.remote_ice = peer.ice_credentials();
    spec.transport.remote_fingerprint = dtls::DtlsCertificate().fingerprint();
    on_worker([&] { worker.add_participant(spec); });
    peer.connect(1s);
    ASSERT_TRUE(events.wait_closed(id, 3s));
    EXPECT_NE(events.closed[id].find("fingerprint"), std::string::npos);
    EXPECT_EQ(on_worker([&] { return worker.stats().participants; }), 0u);
}

TEST_F(WorkerTest, ServerTakesTheDtlsClientRoleWhenThePeerIsPassive) {
    const std::uint64_t id = next_id++;
    const auto server_ice = ice::IceLiteAgent::random_credentials();
    SimulatedPeer peer(worker.local_address(), server_ice, context->certificate().fingerprint(),
                       std::nullopt, nullptr, dtls::DtlsTransport::Role::Server);
    Worker::ParticipantSpec spec;
    spec.room_id = "call-p";
    spec.media = settings(111, 96, 1, 0x1000, 0x1001);
    spec.transport.id = id;
    spec.transport.local_ice = server_ice;
    spec.transport.remote_ice = peer.ice_credentials();
    spec.transport.remote_fingerprint = peer.fingerprint();
    spec.transport.dtls_role = dtls::DtlsTransport::Role::Client;
    on_worker([&] { worker.add_participant(spec); });
    EXPECT_TRUE(peer.connect(2s));
}

TEST_F(WorkerTest, CallSessionHasABoundedNumberOfParticipants) {
    std::uint64_t id = 0;
    std::vector<std::unique_ptr<SimulatedPeer>> peers;
    for (std::size_t i = 0; i < Worker::max_participants_per_room; ++i)
        peers.push_back(join("call-full", settings(111, 96, 1, 0x1000, 0x1001), id));
    EXPECT_THROW(join("call-full", settings(111, 96, 1, 0x1000, 0x1001), id), std::runtime_error);
    EXPECT_EQ(on_worker([&] { return worker.stats().participants; }),
              Worker::max_participants_per_room);
}

TEST_F(WorkerTest, SilentParticipantTimesOut) {
    std::uint64_t id = 0;
    auto peer = join("call-t", settings(111, 96, 1, 0x1000, 0x1001), id, 300ms);
    ASSERT_TRUE(peer->connect());
    ASSERT_TRUE(events.wait_closed(id, 3s));
    EXPECT_NE(events.closed[id].find("consent"), std::string::npos);
    EXPECT_EQ(on_worker([&] { return worker.stats().routes; }), 0u);
}

TEST_F(WorkerTest, UnknownUfragAndUnknownAddressAreIgnored) {
    SimulatedPeer stranger(worker.local_address(), ice::IceLiteAgent::random_credentials(),
                           context->certificate().fingerprint());
    EXPECT_FALSE(stranger.connect(300ms));
    EXPECT_EQ(stranger.stun_responses, 0u);
    EXPECT_GT(on_worker([&] { return worker.stats().dropped_datagrams; }), 0u);
}

TEST_F(WorkerTest, ParticipantOverTcpTalksWithOneOverUdp) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-tcp", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-tcp", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->use_tcp());
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    EXPECT_EQ(booth->stun_responses, 1u);
    auto stats = on_worker([&] { return worker.stats(); });
    EXPECT_EQ(stats.tcp.connections, 1u);
    EXPECT_EQ(stats.tcp.unauthenticated, 0u);

    // Full-size video both ways: TCP to UDP and UDP to TCP.
    for (std::uint16_t i = 0; i < 50; ++i) {
        ASSERT_TRUE(booth->send_rtp(make_rtp(96, 100 + i, 90000, 0xb01, 1100)));
        ASSERT_TRUE(agent->send_rtp(make_rtp(100, 200 + i, 90000, 0xa01, 1100)));
    }
    ASSERT_TRUE(agent->wait_for_rtp(50));
    ASSERT_TRUE(booth->wait_for_rtp(50));
    EXPECT_EQ(booth->rtp[49].sequence, 249);
    EXPECT_EQ(booth->rtp[49].bytes.size(), 12u + 1100u);
    EXPECT_EQ(agent->rtp[0].payload_type, 100);

    // Leaving closes the participant's connection.
    on_worker([&] { worker.remove_participant(booth_id, "left", true); });
    stats = on_worker([&] { return worker.stats(); });
    EXPECT_EQ(stats.tcp.connections, 0u);
    EXPECT_EQ(stats.participants, 1u);
}

TEST_F(WorkerTest, TcpConnectionWithoutAValidCheckIsClosedAfterFiveSeconds) {
    std::uint64_t id = 0;
    auto peer = join("call-s", settings(111, 96, 1, 0x1000, 0x1001), id);
    SimulatedPeer stranger(worker.local_address(), ice::IceLiteAgent::random_credentials(),
                           context->certificate().fingerprint());
    ASSERT_TRUE(stranger.use_tcp());
    EXPECT_FALSE(stranger.connect(500ms));
    EXPECT_EQ(stranger.stun_responses, 0u);
    auto stats = on_worker([&] { return worker.stats(); });
    EXPECT_EQ(stats.tcp.connections, 1u);
    EXPECT_EQ(stats.tcp.unauthenticated, 1u);
    const auto deadline = std::chrono::steady_clock::now() + 8s;
    while (on_worker([&] { return worker.stats().tcp.connections; }) != 0 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(100ms);
    stats = on_worker([&] { return worker.stats(); });
    EXPECT_EQ(stats.tcp.connections, 0u);
    EXPECT_EQ(stats.tcp.timed_out, 1u);
    EXPECT_EQ(stats.tcp.unauthenticated, 0u);
    EXPECT_EQ(stats.participants, 1u);
}

TEST_F(WorkerTest, TcpFrameLargerThanADatagramClosesTheConnection) {
    const int fd = connect_tcp(worker.local_address());
    ASSERT_GE(fd, 0);
    const std::uint8_t header[] = {0xff, 0xff, 0, 1, 0, 0};
    ASSERT_EQ(::send(fd, header, sizeof(header), MSG_NOSIGNAL), 6);
    EXPECT_TRUE(closed_by_server(fd, 2s));
    ::close(fd);
    EXPECT_EQ(on_worker([&] { return worker.stats().tcp.connections; }), 0u);
}

TEST_F(WorkerTest, UnauthenticatedTcpConnectionsAreBounded) {
    // From several addresses: the bound per address is not the one under test here.
    std::vector<int> fds;
    for (std::size_t i = 0; i < TcpPaths::max_unauthenticated; ++i) {
        const auto source =
            "127.0.0." + std::to_string(1 + i / TcpPaths::max_unauthenticated_per_address);
        fds.push_back(connect_tcp(worker.local_address(), source));
        ASSERT_GE(fds.back(), 0);
    }
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (on_worker([&] { return worker.stats().tcp.unauthenticated; }) <
               TcpPaths::max_unauthenticated &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    const int one_more = connect_tcp(worker.local_address(), "127.0.0.200");
    ASSERT_GE(one_more, 0);
    EXPECT_TRUE(closed_by_server(one_more, 2s));
    EXPECT_FALSE(closed_by_server(fds.front(), 100ms));
    const auto stats = on_worker([&] { return worker.stats(); });
    EXPECT_EQ(stats.tcp.refused, 1u);
    EXPECT_EQ(stats.tcp.connections, TcpPaths::max_unauthenticated);
    ::close(one_more);
    for (const int fd : fds) ::close(fd);
}

// RFC 8445 7.3.1.5 / RFC 7675: a new path the browser checks and nominates becomes the one we
// send on; the call goes on, from a new UDP port and then over TCP.
TEST_F(WorkerTest, ParticipantWhoseAddressChangesKeepsTheCall) {
    std::uint64_t booth_id = 0;
    std::uint64_t agent_id = 0;
    auto booth = join("call-m", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
    auto agent = join("call-m", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(booth->connect());
    ASSERT_TRUE(agent->connect());
    std::uint16_t sequence = 1;
    const auto both_ways = [&](const char* where) {
        const auto booth_had = booth->rtp.size();
        const auto agent_had = agent->rtp.size();
        ASSERT_TRUE(agent->send_rtp(make_rtp(100, sequence, 90000, 0xa01, 500)));
        ASSERT_TRUE(booth->send_rtp(make_rtp(96, sequence, 90000, 0xb01, 500)));
        ++sequence;
        EXPECT_TRUE(booth->wait_for_rtp(booth_had + 1)) << where;
        EXPECT_TRUE(agent->wait_for_rtp(agent_had + 1)) << where;
    };
    both_ways("first path");

    booth->move_to_new_port();
    booth->send_binding_request(true);
    booth->poll(100ms);
    EXPECT_EQ(booth->stun_responses, 2u);
    both_ways("new UDP port");

    ASSERT_TRUE(booth->use_tcp());
    booth->send_binding_request(true);
    booth->poll(100ms);
    EXPECT_EQ(booth->stun_responses, 3u);
    both_ways("TCP");
    EXPECT_TRUE(events.closed.empty());
}

TEST_F(WorkerTest, HundredJoinLeaveCyclesReleaseEverything) {
    std::uint64_t agent_id = 0;
    auto agent = join("call-c", settings(109, 100, 5, 0x2000, 0x2001), agent_id);
    ASSERT_TRUE(agent->connect());
    std::size_t descriptors_after_first = 0;
    for (int cycle = 0; cycle < 100; ++cycle) {
        std::uint64_t booth_id = 0;
        auto booth = join("call-c", settings(111, 96, 1, 0x1000, 0x1001), booth_id);
        ASSERT_TRUE(booth->connect()) << cycle;
        ASSERT_TRUE(
            booth->send_rtp(make_rtp(111, static_cast<std::uint16_t>(cycle), 0, 0xb00, 20)));
        ASSERT_TRUE(agent->wait_for_rtp(static_cast<std::size_t>(cycle) + 1)) << cycle;
        on_worker([&] { worker.remove_participant(booth_id, "left", true); });
        booth.reset();
        if (cycle == 0) descriptors_after_first = open_descriptors();
    }
    const auto stats = on_worker([&] { return worker.stats(); });
    EXPECT_EQ(stats.participants, 1u);
    EXPECT_EQ(stats.rooms, 1u);
    EXPECT_LE(stats.routes, 2u);  // the agent's ufrag and address
    EXPECT_EQ(open_descriptors(), descriptors_after_first);
    // The agent heard one continuous stream across 100 different senders.
    for (std::size_t i = 1; i < agent->rtp.size(); ++i)
        EXPECT_EQ(static_cast<std::uint16_t>(agent->rtp[i].sequence - agent->rtp[i - 1].sequence),
                  1);
    on_worker([&] { worker.remove_participant(agent_id, "left", true); });
    EXPECT_EQ(on_worker([&] { return worker.stats().rooms; }), 0u);
}

}  // namespace
}  // namespace vg::rtc::worker
