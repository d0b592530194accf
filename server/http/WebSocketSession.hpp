#pragma once
// One accepted WebSocket: text messages in (to the WebSocketPeer that the endpoint's factory
// made) and out (a bounded write queue), on the connection's strand.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "common/TokenBucket.hpp"
#include "http/Request.hpp"
#include "http/ServerContext.hpp"
#include "http/Stream.hpp"
#include "http/WebSocket.hpp"

namespace vg::http {

class WebSocketSession : public WebSocketConnection,
                         public ServerContext::Session,
                         public std::enable_shared_from_this<WebSocketSession> {
  public:
    WebSocketSession(Stream stream, std::shared_ptr<ServerContext> context,
                     WebSocketFactory factory);
    void run(boost::beast::http::request<boost::beast::http::string_body> upgrade, Request request);

    void send(std::string text) override;
    void close(std::uint16_t code, std::string reason) override;
    const std::string& remote_address() const override { return request_.remote_address; }
    void shutdown() override;  // close 1001 (going away)
    void abandon() override { end(); }

  private:
    void on_accept(boost::system::error_code ec);
    void read();
    void on_read(boost::system::error_code ec);
    void write_next();
    // flush: what the peer queued goes out before the close (its last word, a bye); otherwise
    // it is dropped (a client too slow to read it, a broken session).
    void start_close(std::uint16_t code, std::string reason, bool flush = false);
    void end();

    std::shared_ptr<ServerContext> context_;
    boost::beast::websocket::stream<Stream> ws_;
    boost::beast::flat_buffer buffer_;
    WebSocketFactory factory_;
    boost::beast::http::request<boost::beast::http::string_body> upgrade_;
    Request request_;
    std::shared_ptr<WebSocketPeer> peer_;  // released at end(): the peer may own this connection
    std::deque<std::string> queue_;        // queue_.front() is being written while writing_
    bool writing_ = false;
    bool closing_ = false;
    bool ended_ = false;
    std::optional<boost::beast::websocket::close_reason> pending_close_;
    // ServerOptions::websocket_messages_per_second: a client that empties it is closed.
    common::TokenBucket message_tokens_;
};

}  // namespace vg::http
