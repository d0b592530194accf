#include "rtc/net/UdpSocket.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace vg::rtc::net {

UdpSocket::UdpSocket(const SocketAddress& address, bool reuse_port)
    // A worker's burst of forwarded video must not be dropped by a small default buffer.
    : socket_(address, SOCK_DGRAM,
              {.reuse_port = reuse_port, .reuse_address = false, .buffer_bytes = 4 * 1024 * 1024}) {
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

std::span<UdpSocket::Datagram> UdpSocket::receive_batch() {
    for (std::size_t i = 0; i < batch_size; ++i) {
        receive_headers_[i].msg_hdr.msg_name = &receive_names_[i];
        receive_headers_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
        receive_headers_[i].msg_hdr.msg_flags = 0;
    }
    const int count =
        ::recvmmsg(socket_.fd(), receive_headers_.data(), batch_size, MSG_DONTWAIT, nullptr);
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
        const int count = ::sendmmsg(socket_.fd(), send_headers_.data() + sent,
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
