#pragma once
// A non-blocking socket bound to a local address: what UdpSocket and TcpListener both start
// from. Control plane only (it throws).
#include "rtc/net/FileDescriptor.hpp"
#include "rtc/net/SocketAddress.hpp"

namespace vg::rtc::net {

class BoundSocket {
  public:
    struct Options {
        // SO_REUSEPORT: several workers bind the same port and the kernel spreads the traffic.
        bool reuse_port = false;
        // SO_REUSEADDR: a restarted listener need not wait for its old connections' TIME_WAIT.
        bool reuse_address = false;
        // SO_RCVBUF and SO_SNDBUF when not 0 (best effort).
        int buffer_bytes = 0;
    };

    // type: SOCK_DGRAM or SOCK_STREAM. Binds (port 0 picks a free one) and reads back the local
    // address. Throws std::system_error naming the call that failed.
    BoundSocket(const SocketAddress& address, int type, const Options& options);

    int fd() const { return fd_.get(); }
    const SocketAddress& local_address() const { return local_; }
    // Throws std::system_error when listen() fails.
    void listen(int backlog);

  private:
    FileDescriptor fd_;
    SocketAddress local_;
};

}  // namespace vg::rtc::net
