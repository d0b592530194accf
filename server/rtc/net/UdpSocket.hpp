#pragma once
// A non-blocking UDP socket with batched I/O: recvmmsg into, and sendmmsg from, buffers and
// mmsghdr arrays allocated once. The packet path neither allocates nor throws.
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "rtc/net/BoundSocket.hpp"
#include "rtc/net/SocketAddress.hpp"

struct mmsghdr;
struct iovec;

namespace vg::rtc::net {

class UdpSocket {
  public:
    static constexpr std::size_t batch_size = 32;
    // Room for the largest datagram we accept (Ethernet MTU) plus an SRTP trailer written in
    // place: a datagram that fills a receive buffer was truncated and is dropped.
    static constexpr std::size_t buffer_size = 2048;

    // Where datagrams addressed to a TCP path go (ICE-TCP, SocketAddress::is_tcp): the worker's
    // connections, which frame them. So the Room and the transports send to a participant's
    // selected path without knowing whether it is UDP or TCP.
    class StreamOutput {
      public:
        virtual ~StreamOutput() = default;
        virtual void send_stream(std::span<const std::uint8_t> datagram,
                                 const SocketAddress& to) = 0;
        virtual void flush_streams() = 0;
    };

    struct Datagram {
        std::uint8_t* data;  // a receive buffer: may be rewritten in place until the next receive
        std::size_t size;
        SocketAddress from;
    };

    // Binds to address (port 0 picks a free one). reuse_port sets SO_REUSEPORT so several
    // workers can bind the same port. Throws std::system_error.
    explicit UdpSocket(const SocketAddress& address, bool reuse_port = false);
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;

    int fd() const { return socket_.fd(); }
    const SocketAddress& local_address() const { return socket_.local_address(); }

    // Up to batch_size datagrams already waiting; empty when none. Views stay valid until the
    // next call.
    std::span<Datagram> receive_batch();

    // The next send slot (buffer_size bytes) to build a datagram in place; commit() queues it.
    // A full batch is flushed on commit.
    std::uint8_t* prepare_send();
    void commit_send(std::size_t size, const SocketAddress& to);
    // Copies data into a slot and queues it; false if too large.
    bool send(std::span<const std::uint8_t> data, const SocketAddress& to);
    // Sends every queued datagram (sendmmsg); those the kernel refuses are dropped and counted.
    // Flushes the stream output too.
    void flush();
    // Datagrams to TCP paths without one are dropped.
    void set_stream_output(StreamOutput* output) { stream_output_ = output; }

    std::uint64_t send_failures() const { return send_failures_; }
    std::uint64_t truncated() const { return truncated_; }

  private:
    BoundSocket socket_;
    std::vector<std::uint8_t> receive_buffers_;
    std::vector<std::uint8_t> send_buffers_;
    std::vector<mmsghdr> receive_headers_;
    std::vector<mmsghdr> send_headers_;
    std::vector<iovec> receive_iovecs_;
    std::vector<iovec> send_iovecs_;
    std::vector<sockaddr_storage> receive_names_;
    std::vector<sockaddr_storage> send_names_;
    std::array<Datagram, batch_size> received_{};
    std::size_t queued_ = 0;
    StreamOutput* stream_output_ = nullptr;
    std::uint64_t send_failures_ = 0;
    std::uint64_t truncated_ = 0;
};

}  // namespace vg::rtc::net
