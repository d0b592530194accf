#include "rtc/net/TcpConnection.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vg::rtc::net {

TcpConnection::TcpConnection(FileDescriptor fd, const SocketAddress& remote)
    : fd_(std::move(fd)),
      remote_(remote.with_protocol(SocketAddress::Protocol::Tcp)),
      queue_(write_queue_size) {}

TcpConnection::ReadResult TcpConnection::read() {
    const auto space = framer_.free_space();
    // A full buffer of unread frames is the caller's to drain; poisoned framing never recovers.
    if (space.empty()) return framer_.oversized() ? ReadResult::Closed : ReadResult::Empty;
    for (;;) {
        const ssize_t count = ::recv(fd_.get(), space.data(), space.size(), MSG_DONTWAIT);
        if (count > 0) {
            framer_.commit(static_cast<std::size_t>(count));
            return ReadResult::Data;
        }
        if (count < 0 && errno == EINTR) continue;
        if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return ReadResult::Empty;
        return ReadResult::Closed;
    }
}

bool TcpConnection::send(std::span<const std::uint8_t> datagram) {
    if (queued_begin_ == queued_end_) queued_begin_ = queued_end_ = 0;
    if (queue_.size() - queued_end_ < TcpFramer::header_size + datagram.size() &&
        queued_begin_ != 0) {
        std::memmove(queue_.data(), queue_.data() + queued_begin_, queued_end_ - queued_begin_);
        queued_end_ -= queued_begin_;
        queued_begin_ = 0;
    }
    const std::size_t written =
        TcpFramer::encode(datagram, {queue_.data() + queued_end_, queue_.size() - queued_end_});
    if (written == 0) {
        ++dropped_;
        return false;
    }
    queued_end_ += written;
    return true;
}

bool TcpConnection::flush() {
    while (queued_begin_ != queued_end_) {
        const ssize_t count = ::send(fd_.get(), queue_.data() + queued_begin_,
                                     queued_end_ - queued_begin_, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (count > 0) {
            queued_begin_ += static_cast<std::size_t>(count);
            continue;
        }
        if (count < 0 && errno == EINTR) continue;
        return count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
    queued_begin_ = queued_end_ = 0;
    return true;
}

}  // namespace vg::rtc::net
