#include "http/Stream.hpp"

namespace vg::http {

Stream::Stream(boost::asio::ip::tcp::socket socket, std::shared_ptr<TlsContext> tls)
    : tls_context_(std::move(tls)) {
    if (tls_context_) {
        tls_ = std::make_unique<Tls>(std::move(socket), tls_context_->native());
    } else {
        plain_ = std::make_unique<Tcp>(std::move(socket));
    }
}

void teardown(boost::beast::role_type role, Stream& stream, boost::system::error_code& ec) {
    if (auto* tls = stream.tls()) {
        boost::beast::teardown(role, *tls, ec);
    } else {
        using boost::beast::websocket::teardown;
        teardown(role, stream.tcp(), ec);
    }
}

}  // namespace vg::http
