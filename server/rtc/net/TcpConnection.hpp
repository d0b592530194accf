#pragma once
// One accepted ICE-TCP connection (RFC 6544, passive side): owns the socket, reads RFC 4571
// frames into a bounded buffer and queues framed datagrams in a bounded write queue. Both
// buffers are allocated once, with the connection: nothing on the packet path allocates, and a
// full write queue drops the datagram (as a full UDP socket buffer would) rather than block.
// Single-threaded; it may move to another thread between uses (the worker hand-over).
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rtc/net/FileDescriptor.hpp"
#include "rtc/net/SocketAddress.hpp"
#include "rtc/net/TcpFramer.hpp"

namespace vg::rtc::net {

class TcpConnection {
  public:
    // Room for a few hundred milliseconds of a call's video on a slow path.
    static constexpr std::size_t write_queue_size = 256 * 1024;

    enum class ReadResult {
        Data,    // bytes were read: take the frames with next_frame()
        Empty,   // nothing waiting
        Closed,  // end of stream, error, or a frame too large: close the connection
    };

    // Takes ownership of a connected, non-blocking socket; remote is the peer's address (its
    // protocol is set to Tcp here).
    TcpConnection(FileDescriptor fd, const SocketAddress& remote);
    TcpConnection(const TcpConnection&) = delete;
    TcpConnection& operator=(const TcpConnection&) = delete;

    int fd() const { return fd_.get(); }
    const SocketAddress& remote() const { return remote_; }

    // One read() into the frame buffer.
    ReadResult read();
    std::optional<std::span<std::uint8_t>> next_frame() { return framer_.next(); }
    std::optional<std::span<std::uint8_t>> peek_frame() { return framer_.peek(); }

    // Queues one framed datagram; false (counted) when the queue is full or it is too large.
    bool send(std::span<const std::uint8_t> datagram);
    // Writes as much of the queue as the kernel takes now; false on a broken connection.
    bool flush();
    bool has_queued() const { return queued_end_ != queued_begin_; }
    std::uint64_t dropped() const { return dropped_; }

  private:
    FileDescriptor fd_;
    SocketAddress remote_;
    TcpFramer framer_;
    std::vector<std::uint8_t> queue_;
    std::size_t queued_begin_ = 0;
    std::size_t queued_end_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace vg::rtc::net
