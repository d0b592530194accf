#include "http/Server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/Log.hpp"
#include "http/Listener.hpp"
#include "http/ServerContext.hpp"
#include "http/TlsContext.hpp"

namespace vg::http {

struct Server::Impl {
    Impl(ServerOptions options, const Router& router, Metrics& metrics)
        : io(static_cast<int>(std::max<std::size_t>(options.threads, 1))),
          context(std::make_shared<ServerContext>(std::move(options), router, metrics)) {}

    ~Impl() {
        // Sessions hold sockets of this io_context: they go before it does.
        context->clear();
        listener.reset();
    }

    void join() {
        std::lock_guard lock(join_mutex);
        for (auto& thread : threads) {
            if (thread.joinable()) thread.join();
        }
    }

    boost::asio::io_context io;  // first member: destroyed last
    // While handlers work on other threads nothing may be pending on the io_context; this keeps
    // its threads from returning before stop().
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
    std::shared_ptr<ServerContext> context;
    std::shared_ptr<Listener> listener;
    std::vector<std::thread> threads;
    std::mutex join_mutex;
    std::atomic<bool> started{false};
    std::atomic<bool> stopped{false};
};

Server::Server(ServerOptions options, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {
    const auto& settings = impl_->context->options;
    if (settings.tls_cert_file.empty() != settings.tls_key_file.empty()) {
        throw std::invalid_argument("TLS needs both a certificate file and a key file");
    }
    if (!settings.tls_cert_file.empty()) {
        impl_->context->set_tls(TlsContext::load(settings.tls_cert_file, settings.tls_key_file));
    }
}

Server::~Server() {
    if (impl_->started) stop(std::chrono::milliseconds(0));
}

void Server::add_websocket(std::string path, WebSocketFactory factory) {
    if (impl_->started) throw std::logic_error("add_websocket after start: " + path);
    impl_->context->websockets[std::move(path)] = std::move(factory);
}

void Server::start() {
    if (impl_->started.exchange(true)) throw std::logic_error("server started twice");
    try {
        impl_->listener = std::make_shared<Listener>(impl_->io, impl_->context);
    } catch (...) {
        impl_->started = false;
        throw;
    }
    impl_->listener->run();
    impl_->work.emplace(impl_->io.get_executor());
    const auto& options = impl_->context->options;
    for (std::size_t i = 0; i < std::max<std::size_t>(options.threads, 1); ++i) {
        impl_->threads.emplace_back([io = &impl_->io] {
            for (;;) {
                try {
                    io->run();
                    return;
                } catch (const std::exception& e) {
                    common::log::get("http")->error("io thread: {}", e.what());
                }
            }
        });
    }
    common::log::get("http")->info("listening on {}://{}:{}",
                                   impl_->context->tls() ? "https" : "http", options.address,
                                   port());
}

std::uint16_t Server::port() const {
    return impl_->listener ? impl_->listener->port() : 0;
}

std::string Server::reload_tls() {
    auto& context = *impl_->context;
    if (!context.tls()) throw std::logic_error("this server speaks plain HTTP: nothing to reload");
    auto fresh = TlsContext::load(context.options.tls_cert_file, context.options.tls_key_file);
    std::string serial = fresh->serial();
    context.set_tls(std::move(fresh));
    return serial;
}

ConnectionCounts Server::connections() const {
    return impl_->context->connections();
}

LimitCounts Server::limit_counts() const {
    return impl_->context->limits->counts();
}

std::shared_ptr<AllowedOrigins> Server::origins() const {
    return impl_->context->origins;
}

void Server::stop(std::chrono::milliseconds grace) {
    if (!impl_->started || impl_->stopped.exchange(true)) return wait();
    auto& context = *impl_->context;
    const auto deadline = std::chrono::steady_clock::now() + grace;
    context.stopping = true;
    impl_->listener->stop().wait_for(std::chrono::seconds(1));
    for (auto& session : context.http_sessions()) session->shutdown();
    bool drained = context.wait_http_closed(deadline);
    for (auto& session : context.websocket_sessions()) session->shutdown();
    // A client gets a moment to answer the close even when the grace is spent.
    drained = context.wait_websockets_closed(std::max(
                  deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(500))) &&
              drained;
    if (!drained) {
        common::log::get("http")->warn("stop: connections still open after the grace, cut");
    }
    impl_->work.reset();
    impl_->io.stop();
    impl_->join();
    // No io thread runs now: the peers of connections cut at the deadline still hear on_close.
    for (auto& session : context.websocket_sessions()) session->abandon();
    common::log::get("http")->info("stopped");
}

void Server::wait() {
    impl_->join();
}

}  // namespace vg::http
