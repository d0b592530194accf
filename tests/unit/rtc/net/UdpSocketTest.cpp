#include <gtest/gtest.h>
#include <poll.h>

#include <set>

#include "rtc/net/UdpSocket.hpp"

namespace vg::rtc::net {
namespace {

bool wait_readable(const UdpSocket& socket) {
    pollfd descriptor{socket.fd(), POLLIN, 0};
    return ::poll(&descriptor, 1, 2000) == 1;
}

TEST(UdpSocket, BindsAFreePortOnLoopback) {
    UdpSocket socket(*SocketAddress::parse("127.0.0.1:0"));
    EXPECT_NE(socket.local_address().port(), 0);
    EXPECT_EQ(socket.local_address().ip_string(), "127.0.0.1");
    EXPECT_TRUE(socket.receive_batch().empty());
}

TEST(UdpSocket, SendsAndReceivesInBatches) {
    UdpSocket sender(*SocketAddress::parse("127.0.0.1:0"));
    UdpSocket receiver(*SocketAddress::parse("127.0.0.1:0"));
    constexpr int count = 40;  // more than one batch each way
    for (int i = 0; i < count; ++i) {
        std::uint8_t* slot = sender.prepare_send();
        slot[0] = static_cast<std::uint8_t>(i);
        std::fill(slot + 1, slot + 1200, 0xab);
        sender.commit_send(1200, receiver.local_address());
    }
    sender.flush();
    EXPECT_EQ(sender.send_failures(), 0u);

    std::set<int> seen;
    while (seen.size() < count && wait_readable(receiver)) {
        const auto batch = receiver.receive_batch();
        EXPECT_LE(batch.size(), UdpSocket::batch_size);
        for (const auto& datagram : batch) {
            EXPECT_EQ(datagram.size, 1200u);
            EXPECT_EQ(datagram.from, sender.local_address());
            EXPECT_EQ(datagram.data[1199], 0xab);
            seen.insert(datagram.data[0]);
        }
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(count));
}

TEST(UdpSocket, WorksOverIpv6Loopback) {
    UdpSocket sender(*SocketAddress::parse("[::1]:0"));
    UdpSocket receiver(*SocketAddress::parse("[::1]:0"));
    const std::uint8_t data[] = {1, 2, 3};
    ASSERT_TRUE(sender.send(data, receiver.local_address()));
    sender.flush();
    ASSERT_TRUE(wait_readable(receiver));
    const auto batch = receiver.receive_batch();
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].size, 3u);
    EXPECT_TRUE(batch[0].from.is_v6());
}

TEST(UdpSocket, TwoSocketsShareAPortWithReusePort) {
    UdpSocket first(*SocketAddress::parse("127.0.0.1:0"), true);
    UdpSocket second(first.local_address(), true);
    EXPECT_EQ(second.local_address(), first.local_address());
    EXPECT_THROW(UdpSocket third(first.local_address(), false), std::system_error);
}

TEST(UdpSocket, OversizedDatagramIsDropped) {
    UdpSocket sender(*SocketAddress::parse("127.0.0.1:0"));
    UdpSocket receiver(*SocketAddress::parse("127.0.0.1:0"));
    std::vector<std::uint8_t> big(UdpSocket::buffer_size + 10, 1);
    EXPECT_FALSE(sender.send(big, receiver.local_address()));
    sockaddr_storage to{};
    const auto length = receiver.local_address().to_sockaddr(to);
    ASSERT_EQ(
        ::sendto(sender.fd(), big.data(), big.size(), 0, reinterpret_cast<sockaddr*>(&to), length),
        static_cast<ssize_t>(big.size()));
    ASSERT_TRUE(wait_readable(receiver));
    EXPECT_TRUE(receiver.receive_batch().empty());
    EXPECT_EQ(receiver.truncated(), 1u);
}

}  // namespace
}  // namespace vg::rtc::net
