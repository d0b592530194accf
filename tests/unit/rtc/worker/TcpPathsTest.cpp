// ICE-TCP connections that have not passed an ICE check, per client address: one client that
// opens hundreds and stays silent must not keep another out (real sockets on loopback).
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "rtc/net/FileDescriptor.hpp"
#include "rtc/worker/TcpPaths.hpp"
#include "unit/rtc/worker/TcpClient.hpp"

namespace vg::rtc::worker {
namespace {

using namespace std::chrono_literals;
using testing::client_address;
using testing::closed_by_server;
using testing::connect_tcp;

// The worker's side of the connections, which these tests never reach: no frame is sent.
class NoWorker final : public TcpPaths::Listener {
  public:
    std::size_t owner_of_frame(std::span<const std::uint8_t>) override { return 0; }
    bool hand_over_connection(std::size_t, std::unique_ptr<net::TcpConnection>) override {
        return false;
    }
    void on_tcp_frame(std::span<std::uint8_t>, const net::SocketAddress&) override {}
    void on_tcp_closed(const net::SocketAddress&) override {}
};

class TcpPathsTest : public ::testing::Test {
  protected:
    ~TcpPathsTest() override {
        for (const int fd : clients) ::close(fd);
    }
    void accept_waiting() {
        for (int i = 0; i < 16; ++i) paths.accept(now);
    }
    // Opens count connections from source_ip, accepting as they come (the listen backlog is
    // bounded); their descriptors, in order.
    std::vector<int> open(const std::string& source_ip, std::size_t count) {
        std::vector<int> opened;
        for (std::size_t i = 0; i < count; ++i) {
            opened.push_back(connect_tcp(paths.local_address(), source_ip));
            EXPECT_GE(opened.back(), 0);
            clients.push_back(opened.back());
            if (i % 32 == 31) accept_waiting();
        }
        accept_waiting();
        return opened;
    }

    net::FileDescriptor epoll{::epoll_create1(EPOLL_CLOEXEC)};
    NoWorker worker;
    TcpPaths paths{*net::SocketAddress::parse("127.0.0.1:0"), false, epoll.get(), 0, worker};
    TcpPaths::Clock::time_point now = TcpPaths::Clock::now();
    std::vector<int> clients;
};

constexpr std::size_t per_address = TcpPaths::max_unauthenticated_per_address;

TEST_F(TcpPathsTest, SilentConnectionsFromOneAddressLeaveRoomForAnotherClient) {
    const auto crowd = open("127.0.0.1", 300);
    auto stats = paths.stats();
    EXPECT_EQ(stats.unauthenticated, per_address);
    EXPECT_EQ(stats.refused_per_address, 300 - per_address);
    // Those over the limit are closed at once, not left to the ICE check timeout.
    EXPECT_TRUE(closed_by_server(crowd.back(), 1s));
    EXPECT_FALSE(closed_by_server(crowd.front(), 50ms));

    const auto other = open("127.0.0.2", 1);
    stats = paths.stats();
    EXPECT_EQ(stats.connections, per_address + 1);
    EXPECT_EQ(stats.refused, 300 - per_address);
    EXPECT_FALSE(closed_by_server(other.front(), 50ms));
}

TEST_F(TcpPathsTest, AConnectionThatPassedItsIceCheckNoLongerCountsAgainstItsAddress) {
    const auto first = open("127.0.0.1", per_address);
    paths.authenticate(client_address(first.front()));
    const auto more = open("127.0.0.1", 2);
    const auto stats = paths.stats();
    EXPECT_EQ(stats.connections, per_address + 1);
    EXPECT_EQ(stats.unauthenticated, per_address);
    EXPECT_EQ(stats.refused_per_address, 1u);
    EXPECT_FALSE(closed_by_server(more.front(), 50ms));
    EXPECT_TRUE(closed_by_server(more.back(), 1s));
}

TEST_F(TcpPathsTest, AnAddressGetsItsSlotsBackWhenItsConnectionsClose) {
    for (const int fd : open("127.0.0.1", per_address)) paths.close(client_address(fd));
    open("127.0.0.1", per_address);
    const auto stats = paths.stats();
    EXPECT_EQ(stats.unauthenticated, per_address);
    EXPECT_EQ(stats.refused, 0u);
}

}  // namespace
}  // namespace vg::rtc::worker
