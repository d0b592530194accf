#include "http/Listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <algorithm>
#include <stdexcept>

#include "common/Log.hpp"
#include "http/HttpSession.hpp"
#include "http/Stream.hpp"

namespace vg::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& io, std::shared_ptr<ServerContext> context)
    : io_(io),
      context_(std::move(context)),
      acceptor_(net::make_strand(io)),
      backoff_timer_(acceptor_.get_executor()) {
    const auto& options = context_->options;
    const std::string where = options.address + ":" + std::to_string(options.port);
    boost::system::error_code ec;
    auto address = net::ip::make_address(options.address, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": not an IP address");
    tcp::endpoint endpoint(address, options.port);
    acceptor_.open(endpoint.protocol(), ec);
    // Lets a restarted server bind while old connections linger in TIME_WAIT; Linux still
    // refuses the bind while another socket listens there.
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
}

void Listener::run() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] { self->accept(); });
}

std::future<void> Listener::stop() {
    auto done = std::make_shared<std::promise<void>>();
    auto ready = done->get_future();
    net::post(acceptor_.get_executor(), [self = shared_from_this(), done] {
        boost::system::error_code ec;
        self->acceptor_.close(ec);
        self->backoff_timer_.cancel();
        done->set_value();
    });
    return ready;
}

void Listener::accept() {
    // Each connection gets its own strand: its handlers never run concurrently.
    acceptor_.async_accept(
        net::make_strand(io_),
        [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
            self->on_accept(ec, std::move(socket));
        });
}

void Listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open()) return;
    if (ec) {
        // Out of descriptors and the like: keep serving the connections already open, and try
        // again a little later (logged once per back-off step, not once per failed accept).
        context_->limits->count_accept_error();
        backoff_ = std::min<std::chrono::milliseconds>(
            std::max<std::chrono::milliseconds>(backoff_ * 2, std::chrono::milliseconds(10)),
            std::chrono::seconds(1));
        common::log::get("http")->warn("accept failed: {}; next try in {} ms", ec.message(),
                                       backoff_.count());
        backoff_timer_.expires_after(backoff_);
        backoff_timer_.async_wait([self = shared_from_this()](boost::system::error_code wait) {
            if (!wait && self->acceptor_.is_open()) self->accept();
        });
        return;
    }
    backoff_ = std::chrono::milliseconds(0);
    if (!context_->stopping) admit(std::move(socket));
    accept();
}

void Listener::admit(tcp::socket socket) {
    boost::system::error_code ec;
    auto peer = socket.remote_endpoint(ec);
    if (ec) return;  // already gone
    auto address = peer.address().to_string();
    std::shared_ptr<void> slot;
    // A trusted proxy carries many clients: its connections count against max_connections only.
    if (!context_->trusted_proxies.trusts(address)) {
        slot = context_->limits->claim(address);
        if (!slot) {
            common::log::get("http")->debug("connection refused: {} holds {} connections",
                                            address,
                                            context_->options.max_connections_per_address);
            return;  // the socket closes here
        }
    }
    // The TLS context of this moment: a reload later does not touch this connection.
    Stream stream(std::move(socket), context_->tls());
    stream.hold(std::move(slot));
    auto session = std::make_shared<HttpSession>(std::move(stream), context_);
    if (context_->add_http(session)) {
        session->run();
    } else {
        common::log::get("http")->warn("connection refused: {} connections open",
                                       context_->options.max_connections);
    }
}

}  // namespace vg::http
