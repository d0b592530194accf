#pragma once
// An IPv4 or IPv6 address and port, and whether it is a UDP or a TCP path (ICE transport
// address, RFC 6544): a small value, comparable, hashable (a routing-table key on the packet
// path), convertible to and from the sockets API. No allocation except to_string.
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace vg::rtc::net {

class SocketAddress {
  public:
    enum class Protocol : std::uint8_t { Udp, Tcp };

    SocketAddress() = default;
    // nullopt for a family other than AF_INET / AF_INET6.
    static std::optional<SocketAddress> from_sockaddr(const sockaddr* address);
    // "127.0.0.1:5000", "[::1]:5000"; nullopt when malformed.
    static std::optional<SocketAddress> parse(std::string_view text);
    // An IP literal without port ("127.0.0.1", "::1").
    static std::optional<SocketAddress> from_ip(std::string_view ip, std::uint16_t port);

    int family() const { return family_; }
    bool is_v6() const { return family_ == AF_INET6; }
    std::uint16_t port() const { return port_; }
    void set_port(std::uint16_t port) { port_ = port; }
    // Udp unless set: the sockets API does not say, the socket that read the address does.
    Protocol protocol() const { return protocol_; }
    bool is_tcp() const { return protocol_ == Protocol::Tcp; }
    SocketAddress with_protocol(Protocol protocol) const {
        SocketAddress copy = *this;
        copy.protocol_ = protocol;
        return copy;
    }
    // The IP without port, as SDP candidates write it.
    std::string ip_string() const;
    // "127.0.0.1:5000", and "127.0.0.1:5000/tcp" for a TCP path.
    std::string to_string() const;

    // Fills storage; returns the length to pass to the sockets API.
    socklen_t to_sockaddr(sockaddr_storage& storage) const;

    bool operator==(const SocketAddress&) const = default;
    std::size_t hash() const;

  private:
    std::uint16_t family_ = AF_UNSPEC;
    std::uint16_t port_ = 0;
    Protocol protocol_ = Protocol::Udp;
    std::array<std::uint8_t, 16> ip_{};  // 4 bytes used for IPv4
};

}  // namespace vg::rtc::net

template <>
struct std::hash<vg::rtc::net::SocketAddress> {
    std::size_t operator()(const vg::rtc::net::SocketAddress& address) const {
        return address.hash();
    }
};
