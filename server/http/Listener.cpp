#include "http/Listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <stdexcept>

#include "common/Log.hpp"
#include "http/HttpSession.hpp"
#include "http/Stream.hpp"

namespace vg::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& io, std::shared_ptr<ServerContext> context)
    : io_(io), context_(std::move(context)), acceptor_(net::make_strand(io)) {
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
        // Out of descriptors and the like: keep serving the connections already open.
        common::log::get("http")->warn("accept failed: {}", ec.message());
    } else if (!context_->stopping) {
        // The TLS context of this moment: a reload later does not touch this connection.
        auto session =
            std::make_shared<HttpSession>(Stream(std::move(socket), context_->tls()), context_);
        if (context_->add_http(session)) {
            session->run();
        } else {
            common::log::get("http")->warn("connection refused: {} connections open",
                                           context_->options.max_connections);
        }
    }
    accept();
}

}  // namespace vg::http
