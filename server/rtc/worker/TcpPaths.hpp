#pragma once
// A media worker's ICE-TCP side (RFC 6544 passive candidates, RFC 4571 framing): a listening
// socket on the media port number and the connections browsers open to it, in the worker's own
// epoll loop.
//
// Every worker listens on the shared port (SO_REUSEPORT), so the kernel may give a connection to
// a worker that does not own its participant. The first frame of a connection is the browser's
// STUN check, whose USERNAME names the owner (Worker::mark_ufrag): a connection that reached
// the wrong worker moves, socket and unread bytes, to the owner through its command queue (once
// per connection, never per packet), and lives there from then on. Frames then take the same
// path as datagrams: the remote address (protocol Tcp) is the route, and answers go back through
// UdpSocket's stream output, which lands here.
//
// Bounds: the connections per worker, the connections that have not yet passed an ICE check
// (closed after first_message_timeout), and of those the ones from one IP address (so that one
// client that opens hundreds and stays silent does not take every slot from the others); a frame
// size, a read buffer and a write queue per connection (full: the datagram is dropped, the loop
// never blocks), an idle limit. The counts are this worker's: the kernel spreads one client's
// connections over the workers, so one address holds at most workers times the limit.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "rtc/net/SocketAddress.hpp"
#include "rtc/net/TcpConnection.hpp"
#include "rtc/net/TcpListener.hpp"
#include "rtc/net/UdpSocket.hpp"

namespace vg::rtc::worker {

class TcpPaths final : public net::UdpSocket::StreamOutput {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t max_connections = 256;
    static constexpr std::size_t max_unauthenticated = 32;
    // A browser opens one connection per local interface and candidate; several booths behind
    // one NAT start their calls at once now and then.
    static constexpr std::size_t max_unauthenticated_per_address = 8;
    static constexpr auto first_message_timeout = std::chrono::seconds(5);
    // Consent freshness ends a silent participant long before this.
    static constexpr auto idle_timeout = std::chrono::seconds(60);

    // Called on the worker's thread.
    class Listener {
      public:
        virtual ~Listener() = default;
        // The worker that owns the participant a connection's first frame names; this worker's
        // own index keeps it here (also for a frame that names no worker).
        virtual std::size_t owner_of_frame(std::span<const std::uint8_t> frame) = 0;
        // Moves a connection to its owner; false when it could not (the connection is then
        // closed by dropping it).
        virtual bool hand_over_connection(std::size_t owner,
                                          std::unique_ptr<net::TcpConnection> connection) = 0;
        // One datagram, copied into a buffer of UdpSocket::buffer_size bytes: it may be
        // rewritten in place, as a received datagram may.
        virtual void on_tcp_frame(std::span<std::uint8_t> frame,
                                  const net::SocketAddress& from) = 0;
        // The connection is gone: forget routes to its address.
        virtual void on_tcp_closed(const net::SocketAddress& remote) = 0;
    };

    struct Stats {
        std::size_t connections = 0;
        std::size_t unauthenticated = 0;
        std::uint64_t refused = 0;              // over a limit, any
        std::uint64_t refused_per_address = 0;  // of those: too many unchecked from its address
        std::uint64_t handed_over = 0;          // moved to the worker that owns them
        std::uint64_t timed_out = 0;            // no ICE check in time, or idle
        std::uint64_t dropped_frames = 0;       // write queue full
    };

    // Listens on address's port (throws std::system_error); registers with epoll_fd.
    TcpPaths(const net::SocketAddress& address, bool share_port, int epoll_fd,
             std::size_t worker_index, Listener& listener);
    ~TcpPaths() override;
    TcpPaths(const TcpPaths&) = delete;
    TcpPaths& operator=(const TcpPaths&) = delete;

    int listener_fd() const { return socket_.fd(); }
    const net::SocketAddress& local_address() const { return socket_.local_address(); }
    bool owns(int fd) const { return connections_.contains(fd); }

    // The listening socket is readable.
    void accept(Clock::time_point now);
    // epoll reported events on one of our connections.
    void on_event(int fd, std::uint32_t events, Clock::time_point now);
    // A connection a sibling accepted and this worker owns.
    void adopt(std::unique_ptr<net::TcpConnection> connection, Clock::time_point now);
    // A STUN check from remote passed: it is a participant's path now.
    void authenticate(const net::SocketAddress& remote);
    void close(const net::SocketAddress& remote);
    // Timeouts; on every worker tick.
    void on_tick(Clock::time_point now);
    Stats stats() const;

    void send_stream(std::span<const std::uint8_t> datagram, const net::SocketAddress& to) override;
    void flush_streams() override;

  private:
    struct Path {
        std::unique_ptr<net::TcpConnection> connection;
        net::SocketAddress remote;
        Clock::time_point opened;
        Clock::time_point last_read;
        bool owner_known = false;  // the first frame was looked at, or it came from a sibling
        bool authenticated = false;
        bool waiting_writable = false;  // EPOLLOUT registered
        bool queued = false;            // in flush_list_
    };

    // Whether a new unauthenticated connection from remote fits every limit (counts refusals).
    bool admit(const net::SocketAddress& remote);
    void add(std::unique_ptr<net::TcpConnection> connection, Clock::time_point now,
             bool owner_known);
    // The path passed its ICE check or left before: it no longer counts as unauthenticated.
    void count_authenticated(const Path& path);
    // Delivers the frames read so far; false when the connection left (handed over).
    bool deliver(Path& path);
    // notify: tell the listener the path is gone (not when it only moves to a sibling).
    void remove(int fd, bool notify);
    void watch(Path& path, bool writable);

    net::TcpListener socket_;
    int epoll_fd_;
    std::size_t worker_index_;
    Listener& listener_;
    // Stable elements: by_address_ and flush_list_ point into it.
    std::unordered_map<int, Path> connections_;
    std::unordered_map<net::SocketAddress, Path*> by_address_;
    std::vector<Path*> flush_list_;  // connections with queued frames; capacity reserved once
    std::vector<int> closing_;       // capacity reserved once
    std::array<std::uint8_t, net::UdpSocket::buffer_size> frame_{};
    std::size_t unauthenticated_ = 0;
    // By IP address (port 0): only addresses with an unauthenticated connection are here.
    std::unordered_map<net::SocketAddress, std::size_t> unauthenticated_by_ip_;
    Clock::time_point next_check_{};
    std::uint64_t refused_ = 0;
    std::uint64_t refused_per_address_ = 0;
    std::uint64_t handed_over_ = 0;
    std::uint64_t timed_out_ = 0;
    std::uint64_t dropped_frames_ = 0;
};

}  // namespace vg::rtc::worker
