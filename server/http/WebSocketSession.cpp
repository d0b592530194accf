#include "http/WebSocketSession.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

#include "common/Log.hpp"

namespace vg::http {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;

namespace {
constexpr std::size_t kMaxCloseReason = 123;  // RFC 6455 5.5: control frames carry 125 bytes
}

WebSocketSession::WebSocketSession(Stream stream, std::shared_ptr<ServerContext> context,
                                   WebSocketFactory factory)
    : context_(std::move(context)),
      ws_(std::move(stream)),
      factory_(std::move(factory)),
      message_tokens_(context_->options.websocket_messages_per_second,
                      context_->options.websocket_message_burst, std::chrono::steady_clock::now()) {
}

void WebSocketSession::run(beast::http::request<beast::http::string_body> upgrade,
                           Request request) {
    upgrade_ = std::move(upgrade);
    request_ = std::move(request);
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = context_->options.read_timeout;
    timeouts.idle_timeout = context_->options.idle_timeout;
    timeouts.keep_alive_pings = true;  // a quiet but live client answers pings and stays
    ws_.set_option(timeouts);
    ws_.read_message_max(context_->options.websocket_message_limit);
    ws_.set_option(websocket::stream_base::decorator(
        [id = request_.request_id, secure = request_.secure](websocket::response_type& response) {
            response.set("X-Request-Id", id);
            response.set("X-Content-Type-Options", "nosniff");
            if (secure) {
                response.set("Strict-Transport-Security",
                             beast::string_view(kStrictTransportSecurity.data(),
                                                kStrictTransportSecurity.size()));
            }
        }));
    ws_.async_accept(upgrade_, [self = shared_from_this()](boost::system::error_code ec) {
        self->on_accept(ec);
    });
}

void WebSocketSession::on_accept(boost::system::error_code ec) {
    if (ec) {
        common::log::get("http")->info("websocket {} handshake failed: {}", request_.path,
                                       ec.message());
        ended_ = true;
        return;
    }
    upgrade_ = {};
    context_->add_websocket(shared_from_this());
    try {
        peer_ = factory_(shared_from_this(), request_);
    } catch (const std::exception& e) {
        common::log::get("http")->error("websocket {} id={}: the endpoint refused: {}",
                                        request_.path, request_.request_id, e.what());
    }
    if (!peer_) start_close(websocket::close_code::internal_error, "internal error");
    read();
}

void WebSocketSession::read() {
    ws_.async_read(buffer_, [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
        self->on_read(ec);
    });
}

void WebSocketSession::on_read(boost::system::error_code ec) {
    // Closed by either side, broken, idle too long, or a message over the limit (for which
    // Beast has already sent close 1009): the end either way.
    if (ec) return end();
    if (!ws_.got_text()) {
        buffer_.consume(buffer_.size());
        start_close(websocket::close_code::bad_payload, "text messages only");
        return read();
    }
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (!closing_ && !message_tokens_.take(std::chrono::steady_clock::now())) {
        // A flood: this client alone pays, with its connection (the others' keep their turn).
        context_->limits->count_websocket_rate_closed();
        common::log::get("http")->warn("websocket {} id={}: too many messages from {}, closing",
                                       request_.path, request_.request_id, request_.client_address);
        start_close(websocket::close_code::policy_error, "too many messages");
        return read();
    }
    if (peer_ && !closing_) {
        try {
            peer_->on_message(std::move(text));
        } catch (const std::exception& e) {
            common::log::get("http")->error("websocket {} id={}: {}", request_.path,
                                            request_.request_id, e.what());
            start_close(websocket::close_code::internal_error, "internal error");
        }
    }
    read();
}

void WebSocketSession::send(std::string text) {
    net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
        if (self->ended_ || self->closing_) return;
        if (self->queue_.size() >= self->context_->options.websocket_write_queue) {
            common::log::get("http")->warn("websocket {} id={}: client too slow, closing",
                                           self->request_.path, self->request_.request_id);
            return self->start_close(websocket::close_code::policy_error, "too slow");
        }
        self->queue_.push_back(std::move(text));
        if (!self->writing_) self->write_next();
    });
}

void WebSocketSession::close(std::uint16_t code, std::string reason) {
    net::post(ws_.get_executor(),
              [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
                  // The protocol's last words (a bye) go out before the close.
                  self->start_close(code, std::move(reason), true);
              });
}

void WebSocketSession::shutdown() {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
        self->start_close(websocket::close_code::going_away, "server stopping");
    });
}

void WebSocketSession::write_next() {
    writing_ = true;
    if (pending_close_ && queue_.empty()) {
        auto reason = std::move(*pending_close_);
        pending_close_.reset();
        ws_.async_close(reason, [self = shared_from_this()](boost::system::error_code ec) {
            self->writing_ = false;
            // The client's reply to the close ends the read loop; without one, cut the line.
            if (ec) beast::get_lowest_layer(self->ws_).close();
        });
        return;
    }
    ws_.text(true);
    ws_.async_write(net::buffer(queue_.front()),
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        self->writing_ = false;
                        if (ec) return beast::get_lowest_layer(self->ws_).close();
                        self->queue_.pop_front();
                        if (!self->queue_.empty() || self->pending_close_) self->write_next();
                    });
}

void WebSocketSession::start_close(std::uint16_t code, std::string reason, bool flush) {
    if (closing_ || ended_) return;
    closing_ = true;
    if (reason.size() > kMaxCloseReason) reason.resize(kMaxCloseReason);
    // Unless flushing (the queue is bounded), what was not yet started is dropped; the message
    // being written completes first.
    if (!flush) queue_.erase(writing_ ? queue_.begin() + 1 : queue_.begin(), queue_.end());
    pending_close_ = websocket::close_reason(static_cast<websocket::close_code>(code),
                                             beast::string_view(reason.data(), reason.size()));
    if (!writing_) write_next();
}

void WebSocketSession::end() {
    if (ended_) return;
    ended_ = true;
    queue_.clear();
    if (auto peer = std::move(peer_)) {
        try {
            peer->on_close();
        } catch (const std::exception& e) {
            common::log::get("http")->error("websocket {}: on_close threw: {}", request_.path,
                                            e.what());
        }
    }
    context_->remove(this);
}

}  // namespace vg::http
