#pragma once
// Accepts TCP connections and hands each to an HttpSession on its own strand, within the limits
// of ConnectionLimits (per client address) and max_connections.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>

#include "http/ServerContext.hpp"

namespace vg::http {

class Listener : public std::enable_shared_from_this<Listener> {
  public:
    // Binds and listens at once; throws std::runtime_error naming the address on failure.
    Listener(boost::asio::io_context& io, std::shared_ptr<ServerContext> context);
    std::uint16_t port() const { return port_; }
    void run();
    // Closes the listening socket (new connections are refused); ready when done.
    std::future<void> stop();

  private:
    void accept();
    void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
    void admit(boost::asio::ip::tcp::socket socket);

    boost::asio::io_context& io_;
    std::shared_ptr<ServerContext> context_;
    boost::asio::ip::tcp::acceptor acceptor_;
    // After a failed accept (out of descriptors: EMFILE, ENFILE) the next waits, doubling from
    // 10 ms to 1 s, so the loop does not spin while the process has no descriptor to give.
    boost::asio::steady_timer backoff_timer_;
    std::chrono::milliseconds backoff_{0};
    std::uint16_t port_ = 0;
};

}  // namespace vg::http
