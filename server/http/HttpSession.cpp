#include "http/HttpSession.hpp"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <random>

#include "common/Log.hpp"
#include "http/ErrorMapper.hpp"
#include "http/WebSocketSession.hpp"

namespace vg::http {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

constexpr auto kDrainTime = std::chrono::seconds(2);
// Documents that are not the apps' pages get no camera, microphone or other device (the apps'
// pages get theirs from StaticFiles).
constexpr std::string_view kPermissionsPolicy =
    "camera=(), microphone=(), display-capture=(), geolocation=(), payment=(), usb=()";

// A client's X-Request-Id is echoed only when it cannot smuggle anything into logs or headers.
bool sane_request_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.' || c == ':';
        if (!ok) return false;
    }
    return true;
}

std::string new_request_id() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id(16, '0');
    auto bits = random();
    for (auto& c : id) {
        c = kHex[bits & 0xf];
        bits >>= 4;
    }
    return id;
}

bool is_http_error(const boost::system::error_code& ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

}  // namespace

// Where a handler's answer goes. Weak, so an answer that comes after the connection is gone does
// nothing; and if every Responder copy is dropped unanswered, the client still gets a 500
// instead of waiting for its timeout.
class HttpSession::AnswerSlot {
  public:
    AnswerSlot(std::weak_ptr<HttpSession> session, std::string request_id)
        : session_(std::move(session)), request_id_(std::move(request_id)) {}
    ~AnswerSlot() {
        if (answered_) return;
        try {
            common::log::get("http")->error("request {}: the handler dropped its responder",
                                            request_id_);
            deliver(ErrorMapper::problem(500, "The server could not answer this request."));
        } catch (...) {
            // Out of memory in a destructor: the client's own timeout ends its wait.
        }
    }
    void deliver(Response response) {
        answered_ = true;
        if (auto self = session_.lock()) {
            net::post(self->executor_, [self, response = std::move(response)]() mutable {
                self->answer(std::move(response));
            });
        }
    }

  private:
    std::weak_ptr<HttpSession> session_;
    std::string request_id_;
    std::atomic<bool> answered_{false};
};

HttpSession::HttpSession(Stream stream, std::shared_ptr<ServerContext> context)
    : context_(std::move(context)),
      stream_(std::move(stream)),
      executor_(stream_.get_executor()),
      read_timer_(executor_) {
    boost::system::error_code ec;
    auto endpoint = stream_.tcp().socket().remote_endpoint(ec);
    remote_address_ = ec ? "unknown" : endpoint.address().to_string();
}

void HttpSession::run() {
    net::dispatch(executor_, [self = shared_from_this()] {
        if (self->stream_.secure()) return self->handshake();
        self->wait_for_request();
    });
}

void HttpSession::handshake() {
    // Counted as the wait for the first request: a client that connects and says nothing, or
    // speaks TLS slowly, is cut at the read timeout either way.
    stream_.tcp().expires_after(context_->options.read_timeout);
    stream_.tls()->async_handshake(boost::asio::ssl::stream_base::server,
                                   [self = shared_from_this()](boost::system::error_code ec) {
                                       if (self->state_ != State::Idle) return;
                                       if (ec) {
                                           // Plain HTTP to the HTTPS port, an old TLS version, a
                                           // scanner: nothing to answer.
                                           common::log::get("http")->debug(
                                               "TLS handshake with {} failed: {}",
                                               self->remote_address_, ec.message());
                                           return self->finish();
                                       }
                                       self->wait_for_request();
                                   });
}

void HttpSession::shutdown() {
    net::post(executor_, [self = shared_from_this()] {
        // A request being read or handled still gets its answer, sent with Connection: close.
        if (self->state_ == State::Idle) self->finish();
    });
}

void HttpSession::wait_for_request() {
    state_ = State::Idle;
    if (context_->stopping) return close_gracefully();
    if (buffer_.size() > 0) return read_request();  // pipelined
    // The first request gets the read timeout; later ones the (longer) keep-alive wait.
    stream_.tcp().expires_after(served_any_ ? context_->options.idle_timeout
                                            : context_->options.read_timeout);
    stream_.async_read_some(
        buffer_.prepare(4096),
        [self = shared_from_this()](boost::system::error_code ec, std::size_t bytes) {
            if (self->state_ != State::Idle) return;
            if (ec) return self->finish();
            self->buffer_.commit(bytes);
            self->read_request();
        });
}

void HttpSession::read_request() {
    state_ = State::Reading;
    timed_out_ = false;
    started_ = std::chrono::steady_clock::now();
    parser_.emplace();
    parser_->body_limit(context_->options.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(context_->options.header_limit));
    // The stream's own timeout would close the socket; this timer only cancels the read, so
    // the slow client can still be told 408.
    stream_.tcp().expires_never();
    read_timer_.expires_after(context_->options.read_timeout);
    read_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (ec || self->state_ != State::Reading) return;
        self->timed_out_ = true;
        self->stream_.tcp().socket().cancel(ec);
    });
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
            if (ec || self->parser_->is_done()) return self->on_read(ec);
            self->read_body();
        });
}

void HttpSession::read_body() {
    auto read = [self = shared_from_this()] {
        bhttp::async_read(self->stream_, self->buffer_, *self->parser_,
                          [self](boost::system::error_code ec, std::size_t) { self->on_read(ec); });
    };
    // A client that asked may wait for this before sending its body (curl does, for a while).
    auto expect = parser_->get()[bhttp::field::expect];
    if (!beast::iequals(expect, "100-continue") || parser_->get().version() < 11) return read();
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this(), read](boost::system::error_code ec, std::size_t) {
                         if (ec) return self->on_read(ec);
                         read();
                     });
}

void HttpSession::on_read(boost::system::error_code ec) {
    read_timer_.cancel();
    if (state_ != State::Reading) return;
    if (timed_out_ && ec) return refuse(408, "The request did not arrive in time.");
    if (ec == bhttp::error::body_limit) {
        return refuse(413, "The body is larger than " +
                               std::to_string(context_->options.body_limit) + " bytes.");
    }
    if (ec == bhttp::error::header_limit) {
        return refuse(431, "The request line and headers are larger than " +
                               std::to_string(context_->options.header_limit) + " bytes.");
    }
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
        return finish();
    }
    if (is_http_error(ec)) return refuse(400, "This is not a well-formed HTTP/1.1 request.");
    if (ec) return finish();
    handle();
}

void HttpSession::handle() {
    state_ = State::Handling;
    auto& message = parser_->get();
    version_ = message.version();
    keep_alive_ = message.keep_alive();
    head_ = message.method() == bhttp::verb::head;

    request_ = Request{};
    request_.method = std::string(message.method_string());
    request_.remote_address = remote_address_;
    for (const auto& field : message) {
        std::string name(field.name_string());
        auto [it, inserted] = request_.headers.emplace(name, std::string(field.value()));
        if (!inserted) {
            it->second += (field.name() == bhttp::field::cookie ? "; " : ", ");
            it->second += std::string(field.value());
        }
    }
    const auto& proxies = context_->trusted_proxies;
    request_.client_address =
        proxies.client_address(remote_address_, request_.header("X-Forwarded-For"));
    request_.secure =
        stream_.secure() ||
        proxies.forwarded_https(remote_address_, request_.header("X-Forwarded-Proto"));
    auto client_id = request_.header("X-Request-Id");
    request_.request_id = sane_request_id(client_id) ? client_id : new_request_id();
    route_ = "unmatched";
    if (!request_.set_target(std::string(message.target()))) {
        request_.target = std::string(message.target());
        return answer(ErrorMapper::problem(400, "The request target is malformed."));
    }

    if (beast::websocket::is_upgrade(message)) {
        auto it = context_->websockets.find(request_.path);
        if (it != context_->websockets.end()) return upgrade(it->second);
    }

    request_.body = std::move(message.body());
    auto match = context_->router.match(request_.method, request_.path);
    if (match.handler) {
        route_ = match.pattern;
        params_ = std::move(match.params);
        // The handler may answer from a database thread: the answer comes back to this strand.
        auto slot = std::make_shared<AnswerSlot>(weak_from_this(), request_.request_id);
        auto sink = std::make_shared<Responder::Sink>(
            [slot](Response response) { slot->deliver(std::move(response)); });
        Responder respond(std::move(sink), request_.request_id);
        try {
            (*match.handler)(request_, params_, respond);
        } catch (...) {
            respond.fail(std::current_exception());
        }
        return;
    }
    if (match.method_not_allowed) {
        route_ = match.pattern;
        auto response = ErrorMapper::problem(
            405, request_.method + " is not allowed here; allowed: " + match.allow + ".");
        response.headers.emplace_back("Allow", match.allow);
        return answer(std::move(response));
    }
    if (context_->static_files && (request_.method == "GET" || head_)) {
        if (auto file = context_->static_files->serve(request_)) {
            route_ = "static";
            return answer(std::move(*file));
        }
    }
    answer(ErrorMapper::problem(404, "Nothing is here."));
}

void HttpSession::upgrade(const WebSocketFactory& factory) {
    route_ = request_.path;
    if (!context_->origin_allowed(request_)) {
        // A page of another site must not act with the credentials this browser holds here.
        keep_alive_ = false;
        return answer(ErrorMapper::problem(
            403, "Pages of " + request_.header("Origin") + " may not open this WebSocket."));
    }
    if (context_->stopping) {
        keep_alive_ = false;
        auto response = ErrorMapper::problem(503, "The server is shutting down.");
        response.headers.emplace_back("Retry-After", "2");
        return answer(std::move(response));
    }
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_);
    context_->metrics.observe_request(request_.method, route_, 101, elapsed.count());
    common::log::get("http")->info("{} {} 101 {:.1f}ms id={} remote={}", request_.method,
                                   request_.path, elapsed.count() * 1000, request_.request_id,
                                   remote_address_);
    read_timer_.cancel();
    stream_.tcp().expires_never();
    auto session = std::make_shared<WebSocketSession>(std::move(stream_), context_, factory);
    session->run(parser_->release(), std::move(request_));
    state_ = State::Closed;
    context_->remove(this);
}

void HttpSession::refuse(int status, std::string detail) {
    // The rest of the connection cannot be trusted to hold request boundaries: answer, close.
    state_ = State::Handling;
    version_ = 11;
    keep_alive_ = false;
    head_ = false;
    route_ = "unmatched";
    request_ = Request{};
    request_.request_id = new_request_id();
    request_.secure = stream_.secure();
    if (parser_ && !parser_->get().method_string().empty()) {
        request_.method = std::string(parser_->get().method_string());
        request_.target = std::string(parser_->get().target());
        auto client_id = std::string(parser_->get()["X-Request-Id"]);
        if (sane_request_id(client_id)) request_.request_id = client_id;
    }
    answer(ErrorMapper::problem(status, std::move(detail)));
}

void HttpSession::answer(Response response) {
    if (state_ != State::Handling) return;
    if (response.status < 100 || response.status > 599) {
        common::log::get("http")->error("request {}: handler answered status {}",
                                        request_.request_id, response.status);
        response = ErrorMapper::problem(500, "The server could not answer this request.");
    }
    response_ = {};
    response_.version(version_);
    response_.result(static_cast<unsigned>(response.status));
    if (!response.content_type.empty()) {
        response_.set(bhttp::field::content_type, response.content_type);
    }
    for (auto& [name, value] : response.headers) {
        // A line break in a header would let data that reached it split the response.
        if ((name + value).find_first_of("\r\n") != std::string::npos) {
            common::log::get("http")->error("request {}: header {} dropped: line break",
                                            request_.request_id, name);
            continue;
        }
        response_.insert(beast::string_view(name.data(), name.size()),
                         beast::string_view(value.data(), value.size()));
    }
    auto set_default = [this](const char* name, std::string_view value) {
        if (response_.find(name) == response_.end()) {
            response_.set(name, beast::string_view(value.data(), value.size()));
        }
    };
    set_default("X-Content-Type-Options", "nosniff");
    set_default("Referrer-Policy", "no-referrer");
    const auto policy = context_->origins->content_security_policy();
    set_default("Content-Security-Policy", *policy);
    set_default("Permissions-Policy", kPermissionsPolicy);
    // API answers carry tokens and personal data: no cache keeps them unless a handler says so.
    set_default("Cache-Control", "no-store");
    if (request_.secure) set_default("Strict-Transport-Security", kStrictTransportSecurity);
    response_.set("X-Request-Id", request_.request_id);
    response_.keep_alive(keep_alive_ && !context_->stopping);

    const bool bodiless = response.status == 204 || response.status == 304 || response.status < 200;
    if (bodiless) {
        response_.body().clear();
    } else if (head_) {
        response_.content_length(response.body.size());
    } else {
        response_.body() = std::move(response.body);
        response_.prepare_payload();
    }

    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_);
    context_->metrics.observe_request(request_.method, route_, response.status, elapsed.count());
    // The path without its query: queries may hold tokens.
    std::string_view logged = request_.target;
    logged = logged.substr(0, std::min<std::size_t>(logged.find('?'), 256));
    common::log::get("http")->info("{} {} {} {:.1f}ms id={} remote={}",
                                   request_.method.empty() ? "-" : request_.method,
                                   logged.empty() ? "-" : logged, response.status,
                                   elapsed.count() * 1000, request_.request_id, remote_address_);

    state_ = State::Writing;
    stream_.tcp().expires_after(context_->options.read_timeout);
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                           self->on_write(ec);
                       });
}

void HttpSession::on_write(boost::system::error_code ec) {
    if (state_ != State::Writing) return;
    if (ec) return finish();
    if (!response_.keep_alive() || context_->stopping) return close_gracefully();
    served_any_ = true;
    wait_for_request();
}

void HttpSession::close_gracefully() {
    state_ = State::Closing;
    boost::system::error_code ec;
    stream_.tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    // Closing with unread bytes would send a reset that can destroy the answer in flight (a
    // 413 to a client still sending its body): read and drop them for a while first.
    stream_.tcp().expires_after(kDrainTime);
    drain();
}

void HttpSession::drain() {
    stream_.async_read_some(
        net::buffer(drain_buffer_),
        [self = shared_from_this()](boost::system::error_code ec, std::size_t bytes) {
            if (self->state_ != State::Closing) return;
            self->drained_ += bytes;
            if (ec || self->drained_ > 4 * self->context_->options.body_limit) {
                return self->finish();
            }
            self->drain();
        });
}

void HttpSession::finish() {
    if (state_ == State::Closed) return;
    state_ = State::Closed;
    read_timer_.cancel();
    boost::system::error_code ec;
    stream_.tcp().socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    stream_.tcp().socket().close(ec);
    context_->remove(this);
}

}  // namespace vg::http
