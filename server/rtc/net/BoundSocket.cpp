#include "rtc/net/BoundSocket.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <system_error>

namespace vg::rtc::net {
namespace {

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

BoundSocket::BoundSocket(const SocketAddress& address, int type, const Options& options)
    : fd_(::socket(address.family(), type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {
    if (!fd_) throw_errno("socket");
    const int one = 1;
    if (options.reuse_address) ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (options.reuse_port &&
        ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0)
        throw_errno("SO_REUSEPORT");
    if (options.buffer_bytes != 0) {
        ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &options.buffer_bytes,
                     sizeof(options.buffer_bytes));
        ::setsockopt(fd_.get(), SOL_SOCKET, SO_SNDBUF, &options.buffer_bytes,
                     sizeof(options.buffer_bytes));
    }
    sockaddr_storage storage{};
    const socklen_t length = address.to_sockaddr(storage);
    if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&storage), length) != 0)
        throw_errno(type == SOCK_STREAM ? "bind (TCP)" : "bind");
    socklen_t bound_length = sizeof(storage);
    if (::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&storage), &bound_length) != 0)
        throw_errno("getsockname");
    local_ = *SocketAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&storage));
    if (type == SOCK_STREAM) local_ = local_.with_protocol(SocketAddress::Protocol::Tcp);
}

void BoundSocket::listen(int backlog) {
    if (::listen(fd_.get(), backlog) != 0) throw_errno("listen");
}

}  // namespace vg::rtc::net
