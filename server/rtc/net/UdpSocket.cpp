#include "rtc/net/UdpSocket.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace vg::rtc::net {
namespace {

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

UdpSocket::UdpSocket(const SocketAddress& address, bool reuse_port) {
    fd_ = ::socket(address.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw_errno("socket");
    try {
        const int one = 1;
        if (reuse_port && ::setsockopt(fd_, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0)
            throw_errno("SO_REUSEPORT");
        // A worker's burst of forwarded video must not be dropped by a small default buffer.
        const int buffer_bytes = 4 * 1024 * 1024;
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof(buffer_bytes));
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &buffer_bytes, sizeof(buffer_bytes));
        sockaddr_storage storage{};
        const socklen_t length = address.to_sockaddr(storage);
        if (::bind(fd_, reinterpret_cast<const sockaddr*>(&storage), length) != 0)
            throw_errno("bind");
        socklen_t bound_length = sizeof(storage);
        if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &bound_length) != 0)
            throw_errno("getsockname");
        local_ = *SocketAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&storage));
    } catch (...) {
        ::close(fd_);
        throw;
    }

    receive_buffers_.resize(batch_size * buffer_size);
    send_buffers_.resize(batch_size * buffer_size);
    receive_headers_.resize(batch_size);
    send_headers_.resize(batch_size);
    receive_iovecs_.resize(batch_size);
    send_iovecs_.resize(batch_size);
    receive_names_.resize(batch_size);
    send_names_.resize(batch_size);
    for (std::size_t i = 0; i < batch_size; ++i) {
        receive_iovecs_[i] = {receive_buffers_.data() + i * buffer_size, buffer_size};
        send_iovecs_[i] = {send_buffers_.data() + i * buffer_size, 0};
        receive_headers_[i] = {};
        receive_headers_[i].msg_hdr.msg_iov = &receive_iovecs_[i];
        receive_headers_[i].msg_hdr.msg_iovlen = 1;
        send_headers_[i] = {};
        send_headers_[i].msg_hdr.msg_iov = &send_iovecs_[i];
        send_headers_[i].msg_hdr.msg_iovlen = 1;
        send_headers_[i].msg_hdr.msg_name = &send_names_[i];
    }
}

UdpSocket::~UdpSocket() {
    if (fd_ >= 0) ::close(fd_);
}

std::span<UdpSocket::Datagram> UdpSocket::receive_batch() {
    for (std::size_t i = 0; i < batch_size; ++i) {
        receive_headers_[i].msg_hdr.msg_name = &receive_names_[i];
        receive_headers_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
        receive_headers_[i].msg_hdr.msg_flags = 0;
    }
    const int count = ::recvmmsg(fd_, receive_headers_.data(), batch_size, MSG_DONTWAIT, nullptr);
    if (count <= 0) return {};
    std::size_t kept = 0;
    for (int i = 0; i < count; ++i) {
        const auto& header = receive_headers_[static_cast<std::size_t>(i)];
        const auto from =
            SocketAddress::from_sockaddr(static_cast<const sockaddr*>(header.msg_hdr.msg_name));
        if ((header.msg_hdr.msg_flags & MSG_TRUNC) != 0 || header.msg_len >= buffer_size || !from) {
            ++truncated_;
            continue;
        }
        received_[kept++] = {static_cast<std::uint8_t*>(header.msg_hdr.msg_iov->iov_base),
                             header.msg_len, *from};
    }
    return {received_.data(), kept};
}

std::uint8_t* UdpSocket::prepare_send() {
    if (queued_ == batch_size) flush();
    return send_buffers_.data() + queued_ * buffer_size;
}

void UdpSocket::commit_send(std::size_t size, const SocketAddress& to) {
    if (to.is_tcp()) {
        // The slot is copied into the connection's queue and reused.
        if (stream_output_ != nullptr)
            stream_output_->send_stream(
                {send_buffers_.data() + queued_ * buffer_size, std::min(size, buffer_size)}, to);
        return;
    }
    auto& header = send_headers_[queued_];
    send_iovecs_[queued_].iov_len = std::min(size, buffer_size);
    header.msg_hdr.msg_namelen = to.to_sockaddr(send_names_[queued_]);
    ++queued_;
    if (queued_ == batch_size) flush();
}

bool UdpSocket::send(std::span<const std::uint8_t> data, const SocketAddress& to) {
    if (data.size() > buffer_size) return false;
    if (to.is_tcp()) {
        if (stream_output_ != nullptr) stream_output_->send_stream(data, to);
        return stream_output_ != nullptr;
    }
    std::memcpy(prepare_send(), data.data(), data.size());
    commit_send(data.size(), to);
    return true;
}

void UdpSocket::flush() {
    std::size_t sent = 0;
    while (sent < queued_) {
        const int count = ::sendmmsg(fd_, send_headers_.data() + sent,
                                     static_cast<unsigned>(queued_ - sent), MSG_DONTWAIT);
        if (count > 0) {
            sent += static_cast<std::size_t>(count);
            continue;
        }
        if (count < 0 && errno == EINTR) continue;
        // A full send buffer or an unreachable peer (ICMP error): drop that one datagram and
        // go on with the rest, as the network would.
        ++send_failures_;
        ++sent;
    }
    queued_ = 0;
    if (stream_output_ != nullptr) stream_output_->flush_streams();
}

}  // namespace vg::rtc::net
