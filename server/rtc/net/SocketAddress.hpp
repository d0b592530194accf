#pragma once
// An IPv4 or IPv6 address and port as a small value: comparable, hashable (a routing-table key
// on the packet path), convertible to and from the sockets API. No allocation except to_string.
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
    // The IP without port, as SDP candidates write it.
    std::string ip_string() const;
    std::string to_string() const;

    // Fills storage; returns the length to pass to the sockets API.
    socklen_t to_sockaddr(sockaddr_storage& storage) const;

    bool operator==(const SocketAddress&) const = default;
    std::size_t hash() const;

  private:
    std::uint16_t family_ = AF_UNSPEC;
    std::uint16_t port_ = 0;
    std::array<std::uint8_t, 16> ip_{};  // 4 bytes used for IPv4
};

}  // namespace vg::rtc::net

template <>
struct std::hash<vg::rtc::net::SocketAddress> {
    std::size_t operator()(const vg::rtc::net::SocketAddress& address) const {
        return address.hash();
    }
};
