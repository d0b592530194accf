#pragma once
// One accepted connection as Beast sees it: TCP, or TLS over TCP, decided per connection at run
// time. The sessions are compiled once against this type (not once per transport): only the
// reads, writes and the WebSocket teardown below branch.
#include <boost/asio/async_result.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>

#include "http/TlsContext.hpp"

namespace vg::http {

// Every answer over HTTPS carries it: browsers keep to HTTPS for a year once they have seen it
// (RFC 6797). Over plain HTTP browsers ignore it, so it is only sent where it means something.
inline constexpr std::string_view kStrictTransportSecurity = "max-age=31536000";

class Stream {
  public:
    using Tcp = boost::beast::tcp_stream;
    using Tls = boost::asio::ssl::stream<Tcp>;
    using executor_type = Tcp::executor_type;

    // tls: null for plain HTTP. The context stays alive as long as this connection.
    Stream(boost::asio::ip::tcp::socket socket, std::shared_ptr<TlsContext> tls);
    Stream(Stream&&) = default;
    Stream& operator=(Stream&&) = default;

    executor_type get_executor() { return tcp().get_executor(); }
    // The TCP stream (under the TLS one when there is TLS); Beast's get_lowest_layer finds it.
    Tcp& next_layer() { return tcp(); }
    Tcp& tcp() { return tls_ ? tls_->next_layer() : *plain_; }
    bool secure() const { return tls_ != nullptr; }
    Tls* tls() { return tls_.get(); }

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const MutableBuffers& b) {
                if (tls_) {
                    tls_->async_read_some(b, std::move(handler));
                } else {
                    plain_->async_read_some(b, std::move(handler));
                }
            },
            token, buffers);
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const ConstBuffers& b) {
                if (tls_) {
                    tls_->async_write_some(b, std::move(handler));
                } else {
                    plain_->async_write_some(b, std::move(handler));
                }
            },
            token, buffers);
    }

    // Kept as long as this connection (its per-address slot, ConnectionLimits); it moves with the
    // connection from its HTTP session to its WebSocket session.
    void hold(std::shared_ptr<void> keep) { held_ = std::move(keep); }

  private:
    std::shared_ptr<void> held_;  // first declared, so released after the socket closed
    std::shared_ptr<TlsContext> tls_context_;
    std::unique_ptr<Tcp> plain_;
    std::unique_ptr<Tls> tls_;
};

// What a WebSocket close does to the transport (found by Beast through argument lookup): TLS
// sends its close_notify before TCP closes.
void teardown(boost::beast::role_type role, Stream& stream, boost::system::error_code& ec);

template <class TeardownHandler>
void async_teardown(boost::beast::role_type role, Stream& stream, TeardownHandler&& handler) {
    if (auto* tls = stream.tls()) {
        boost::beast::async_teardown(role, *tls, std::forward<TeardownHandler>(handler));
    } else {
        using boost::beast::websocket::async_teardown;
        async_teardown(role, stream.tcp(), std::forward<TeardownHandler>(handler));
    }
}

}  // namespace vg::http
