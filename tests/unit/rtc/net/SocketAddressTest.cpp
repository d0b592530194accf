#include <gtest/gtest.h>

#include <unordered_map>

#include "rtc/net/SocketAddress.hpp"

namespace vg::rtc::net {
namespace {

TEST(SocketAddress, ParsesIpv4AndIpv6WithPort) {
    const auto v4 = SocketAddress::parse("127.0.0.1:5000");
    ASSERT_TRUE(v4);
    EXPECT_FALSE(v4->is_v6());
    EXPECT_EQ(v4->port(), 5000);
    EXPECT_EQ(v4->to_string(), "127.0.0.1:5000");
    const auto v6 = SocketAddress::parse("[::1]:443");
    ASSERT_TRUE(v6);
    EXPECT_TRUE(v6->is_v6());
    EXPECT_EQ(v6->ip_string(), "::1");
    EXPECT_EQ(v6->to_string(), "[::1]:443");
}

TEST(SocketAddress, RefusesMalformedText) {
    for (const char* text : {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "::1:5", "[::1]5",
                             "host:80", "1.2.3.4:80x"})
        EXPECT_FALSE(SocketAddress::parse(text)) << text;
}

TEST(SocketAddress, SurvivesTheSocketsApi) {
    for (const char* text : {"192.0.2.7:9", "[2001:db8::7]:65535"}) {
        const auto address = *SocketAddress::parse(text);
        sockaddr_storage storage{};
        ASSERT_GT(address.to_sockaddr(storage), 0u);
        EXPECT_EQ(SocketAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&storage)),
                  address);
    }
}

TEST(SocketAddress, WorksAsAHashKey) {
    std::unordered_map<SocketAddress, int> table;
    table[*SocketAddress::parse("127.0.0.1:1000")] = 1;
    table[*SocketAddress::parse("127.0.0.1:1001")] = 2;
    table[*SocketAddress::parse("[::1]:1000")] = 3;
    EXPECT_EQ(table.size(), 3u);
    EXPECT_EQ(table.at(*SocketAddress::parse("127.0.0.1:1001")), 2);
    EXPECT_EQ(table.at(*SocketAddress::parse("[::1]:1000")), 3);
}

TEST(SocketAddress, TcpPathIsADifferentRouteFromUdpOnTheSamePort) {
    const auto udp = *SocketAddress::parse("192.0.2.7:5000");
    const auto tcp = udp.with_protocol(SocketAddress::Protocol::Tcp);
    EXPECT_FALSE(udp.is_tcp());
    EXPECT_TRUE(tcp.is_tcp());
    EXPECT_NE(udp, tcp);
    EXPECT_EQ(tcp.to_string(), "192.0.2.7:5000/tcp");
    std::unordered_map<SocketAddress, int> routes{{udp, 1}, {tcp, 2}};
    EXPECT_EQ(routes.at(udp), 1);
    EXPECT_EQ(routes.at(tcp), 2);
}

}  // namespace
}  // namespace vg::rtc::net
