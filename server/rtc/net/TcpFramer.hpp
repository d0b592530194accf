#pragma once
// The receiving side of RFC 4571 framing (ICE-TCP, RFC 6544): each datagram travels as a 2-byte
// big-endian length and that many bytes. Bytes are read straight into free_space(); next()
// yields the complete frames in order, in place. The buffer is allocated once; a frame longer
// than max_frame_size poisons the stream (the connection must be closed: its framing is lost).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rtc/net/UdpSocket.hpp"

namespace vg::rtc::net {

class TcpFramer {
  public:
    // What a UDP datagram may carry on our port; the rest of the receive buffer is the room an
    // SRTP or RTP rewrite in place needs.
    static constexpr std::size_t max_frame_size = UdpSocket::buffer_size - 1;
    static constexpr std::size_t header_size = 2;
    static constexpr std::size_t capacity = 4 * (header_size + max_frame_size);

    TcpFramer() : buffer_(capacity) {}

    // Where the next read() may write; empty when the buffer holds only unread frames (call
    // next() first) or the stream is poisoned.
    std::span<std::uint8_t> free_space();
    // n bytes were written into free_space().
    void commit(std::size_t n) { end_ += n; }

    // The next complete frame, valid until the next free_space(); nullopt when none is complete
    // yet or the stream is poisoned.
    std::optional<std::span<std::uint8_t>> next();
    // The same frame as next() would return, left in place.
    std::optional<std::span<std::uint8_t>> peek();
    bool oversized() const { return oversized_; }
    // Bytes received and not yet returned as a frame.
    std::size_t pending() const { return end_ - begin_; }

    // Writes one frame (header and data) into out; 0 when it does not fit or data is too large.
    static std::size_t encode(std::span<const std::uint8_t> data, std::span<std::uint8_t> out);

  private:
    std::vector<std::uint8_t> buffer_;
    std::size_t begin_ = 0;  // first byte not yet returned
    std::size_t end_ = 0;    // one past the last byte received
    bool oversized_ = false;
};

}  // namespace vg::rtc::net
