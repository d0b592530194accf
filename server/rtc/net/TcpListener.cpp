#include "rtc/net/TcpListener.hpp"

#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

namespace vg::rtc::net {

TcpListener::TcpListener(const SocketAddress& address, bool reuse_port)
    : socket_(address, SOCK_STREAM, {.reuse_port = reuse_port, .reuse_address = true}) {
    socket_.listen(backlog);
}

std::unique_ptr<TcpConnection> TcpListener::accept() {
    for (;;) {
        sockaddr_storage storage{};
        socklen_t length = sizeof(storage);
        FileDescriptor fd(::accept4(socket_.fd(), reinterpret_cast<sockaddr*>(&storage), &length,
                                    SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!fd) {
            // A connection reset while queued is gone; anything else means none is waiting now.
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return nullptr;
        }
        const auto remote = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&storage));
        if (!remote) continue;
        const int one = 1;
        // Media: every frame goes out at once.
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        return std::make_unique<TcpConnection>(std::move(fd), *remote);
    }
}

}  // namespace vg::rtc::net
