#include "rtc/net/TcpListener.hpp"

#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace vg::rtc::net {
namespace {

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

TcpListener::TcpListener(const SocketAddress& address, bool reuse_port) {
    fd_ = ::socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw_errno("socket");
    try {
        const int one = 1;
        // A restart must not wait for the previous process's connections to leave TIME_WAIT.
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (reuse_port && ::setsockopt(fd_, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0)
            throw_errno("SO_REUSEPORT");
        sockaddr_storage storage{};
        const socklen_t length = address.to_sockaddr(storage);
        if (::bind(fd_, reinterpret_cast<const sockaddr*>(&storage), length) != 0)
            throw_errno("bind (TCP)");
        if (::listen(fd_, backlog) != 0) throw_errno("listen");
        socklen_t bound_length = sizeof(storage);
        if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &bound_length) != 0)
            throw_errno("getsockname");
        local_ = SocketAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&storage))
                     ->with_protocol(SocketAddress::Protocol::Tcp);
    } catch (...) {
        ::close(fd_);
        throw;
    }
}

TcpListener::~TcpListener() {
    if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<TcpConnection> TcpListener::accept() {
    for (;;) {
        sockaddr_storage storage{};
        socklen_t length = sizeof(storage);
        const int fd = ::accept4(fd_, reinterpret_cast<sockaddr*>(&storage), &length,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            // A connection reset while queued is gone; anything else means none is waiting now.
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return nullptr;
        }
        const auto remote = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&storage));
        if (!remote) {
            ::close(fd);
            continue;
        }
        const int one = 1;
        // Media: every frame goes out at once.
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        return std::make_unique<TcpConnection>(fd, *remote);
    }
}

}  // namespace vg::rtc::net
