// Several workers on one port: ufrags name their owner, and datagrams and TCP connections that
// reach another worker are handed over to it.
#include <gtest/gtest.h>

#include "unit/rtc/worker/WorkerFixture.hpp"

namespace vg::rtc::worker {
namespace {

TEST(WorkerUfrag, NamesItsOwner) {
    auto ufrag = ice::IceLiteAgent::random_credentials().ufrag;
    for (std::size_t index : {0u, 1u, 17u, 63u}) {
        Worker::mark_ufrag(ufrag, index);
        EXPECT_EQ(Worker::owner_of_ufrag(ufrag), index);
    }
    EXPECT_EQ(Worker::owner_of_ufrag(""), Worker::max_workers);
}

// Two workers on one port, participants all owned by the second: the kernel gives each peer's
// datagrams (or TCP connection) to either worker, and what lands on the first is handed over.
// Pairs of peers join and talk until the first worker has handed something over.
void run_handoff(bool tcp) {
    auto context = std::make_shared<dtls::DtlsContext>(std::make_shared<dtls::DtlsCertificate>());
    MediaEvents events;
    Worker first(0, *net::SocketAddress::parse("127.0.0.1:0"), true, context, events);
    Worker second(1, first.local_address(), true, context, events);
    ASSERT_EQ(first.local_address(), second.local_address());
    first.set_siblings({&first, &second});
    second.set_siblings({&first, &second});
    first.start();
    second.start();
    const auto stats_of = [](Worker& worker) {
        std::promise<Worker::Stats> promise;
        EXPECT_TRUE(worker.post([&] { promise.set_value(worker.stats()); }));
        return promise.get_future().get();
    };
    const auto handed_over = [&] {
        auto stats = stats_of(first);
        return tcp ? stats.tcp.handed_over : stats.handed_over;
    };

    std::uint64_t next_id = 1;
    std::vector<std::unique_ptr<SimulatedPeer>> peers;
    for (int pair = 0; pair < 12 && handed_over() == 0; ++pair) {
        std::unique_ptr<SimulatedPeer> two[2];
        for (auto& peer : two) {
            auto server_ice = ice::IceLiteAgent::random_credentials();
            Worker::mark_ufrag(server_ice.ufrag, 1);
            peer = std::make_unique<SimulatedPeer>(second.local_address(), server_ice,
                                                   context->certificate().fingerprint());
            Worker::ParticipantSpec spec;
            spec.room_id = "call-" + std::to_string(pair);
            spec.media = settings(111, 96, 1, 0x1000, 0x1001);
            spec.transport.id = next_id++;
            spec.transport.local_ice = server_ice;
            spec.transport.remote_ice = peer->ice_credentials();
            spec.transport.remote_fingerprint = peer->fingerprint();
            std::promise<void> added;
            ASSERT_TRUE(second.post([&] {
                second.add_participant(spec);
                added.set_value();
            }));
            added.get_future().get();
            if (tcp) {
                ASSERT_TRUE(peer->use_tcp());
            }
            ASSERT_TRUE(peer->connect()) << "pair " << pair;
        }
        ASSERT_TRUE(two[0]->send_rtp(make_rtp(111, 1, 1, 0xb00, 40)));
        ASSERT_TRUE(two[1]->send_rtp(make_rtp(111, 1, 1, 0xa00, 40)));
        EXPECT_TRUE(two[0]->wait_for_rtp(1)) << "pair " << pair;
        EXPECT_TRUE(two[1]->wait_for_rtp(1)) << "pair " << pair;
        for (auto& peer : two) peers.push_back(std::move(peer));
    }
    EXPECT_GT(handed_over(), 0u);
    if (tcp) {
        EXPECT_EQ(stats_of(first).tcp.connections, 0u);
        EXPECT_EQ(stats_of(second).tcp.connections, peers.size());
    } else {
        EXPECT_EQ(stats_of(first).participants, 0u);
    }
    second.stop();
    first.stop();
}

TEST(WorkerHandoff, ParticipantsConnectAndTalkWhicheverSocketTheKernelPicks) {
    run_handoff(false);
}

// A TCP connection that lands on the worker that does not own the participant moves to the
// owner, socket and all.
TEST(WorkerHandoff, TcpConnectionsMoveToTheWorkerThatOwnsTheParticipant) {
    run_handoff(true);
}

}  // namespace
}  // namespace vg::rtc::worker
