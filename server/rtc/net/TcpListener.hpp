#pragma once
// A non-blocking listening TCP socket for ICE-TCP passive candidates, on the media port number
// (RFC 6544). reuse_port lets every media worker listen on the same port; the kernel spreads new
// connections across them.
#include <memory>

#include "rtc/net/BoundSocket.hpp"
#include "rtc/net/SocketAddress.hpp"
#include "rtc/net/TcpConnection.hpp"

namespace vg::rtc::net {

class TcpListener {
  public:
    static constexpr int backlog = 128;

    // Binds and listens (throws std::system_error).
    TcpListener(const SocketAddress& address, bool reuse_port);
    TcpListener(const TcpListener&) = delete;
    TcpListener& operator=(const TcpListener&) = delete;

    int fd() const { return socket_.fd(); }
    const SocketAddress& local_address() const { return socket_.local_address(); }

    // The next waiting connection, non-blocking and without Nagle; nullptr when none.
    std::unique_ptr<TcpConnection> accept();

  private:
    BoundSocket socket_;
};

}  // namespace vg::rtc::net
