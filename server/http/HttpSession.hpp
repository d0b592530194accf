#pragma once
// One HTTP/1.1 connection (over TLS when the server has it): reads requests one at a time
// (keep-alive), routes them, writes the answers, and hands the connection to a WebSocketSession
// on upgrade. Everything runs on the
// connection's strand; handlers answer from any thread through a Responder.
#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http/Request.hpp"
#include "http/Response.hpp"
#include "http/Router.hpp"
#include "http/ServerContext.hpp"
#include "http/Stream.hpp"

namespace vg::http {

class HttpSession : public ServerContext::Session,
                    public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(Stream stream, std::shared_ptr<ServerContext> context);
    void run();
    void shutdown() override;

  private:
    // Idle: waiting for the first byte of a request (idle timeout). Reading: a request is
    // arriving (read timeout). Handling: a handler owes an answer. Closing: answer sent, the
    // client's leftovers are drained before the close so it can read the answer.
    enum class State { Idle, Reading, Handling, Writing, Closing, Closed };
    class AnswerSlot;

    void handshake();
    void wait_for_request();
    void read_request();
    void read_body();
    void on_read(boost::system::error_code ec);
    void handle();
    void upgrade(const WebSocketFactory& factory);
    void refuse(int status, std::string detail);
    void answer(Response response);
    void on_write(boost::system::error_code ec);
    void close_gracefully();
    void drain();
    void finish();

    std::shared_ptr<ServerContext> context_;
    Stream stream_;                   // moved to the WebSocketSession on upgrade
    Stream::executor_type executor_;  // the connection's strand, also after an upgrade
    boost::asio::steady_timer read_timer_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    boost::beast::http::response<boost::beast::http::string_body> response_;
    std::array<char, 4096> drain_buffer_{};
    std::size_t drained_ = 0;
    State state_ = State::Idle;
    bool timed_out_ = false;
    bool served_any_ = false;
    std::string remote_address_;

    // The request being handled; kept here so a handler's reference stays valid until it answers.
    Request request_;
    Params params_;
    std::chrono::steady_clock::time_point started_;
    std::string route_;  // metrics label
    unsigned version_ = 11;
    bool keep_alive_ = false;
    bool head_ = false;
};

}  // namespace vg::http
