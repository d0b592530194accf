#pragma once
// Raw TCP clients of a worker's ICE-TCP port, for the tests of its limits.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "rtc/net/SocketAddress.hpp"

namespace vg::rtc::testing {

// A connection to `to`, from source_ip when given (any 127.x.y.z is this host's), or -1.
inline int connect_tcp(const net::SocketAddress& to, const std::string& source_ip = "") {
    const int fd = ::socket(to.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_storage storage{};
    if (!source_ip.empty()) {
        const auto source = net::SocketAddress::from_ip(source_ip, 0);
        const socklen_t length = source ? source->to_sockaddr(storage) : 0;
        if (!source || ::bind(fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
            ::close(fd);
            return -1;
        }
    }
    const socklen_t length = to.to_sockaddr(storage);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// True when the server closed the connection within the limit.
inline bool closed_by_server(int fd, std::chrono::milliseconds limit) {
    pollfd descriptor{fd, POLLIN, 0};
    if (::poll(&descriptor, 1, static_cast<int>(limit.count())) != 1) return false;
    char byte = 0;
    return ::recv(fd, &byte, 1, 0) <= 0;
}

// The client's own end of a connection, as the server names its remote (a TCP path).
inline net::SocketAddress client_address(int fd) {
    sockaddr_storage storage{};
    socklen_t length = sizeof(storage);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length);
    const auto address = net::SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&storage));
    return address ? address->with_protocol(net::SocketAddress::Protocol::Tcp)
                   : net::SocketAddress{};
}

}  // namespace vg::rtc::testing
