// An HTTP/1.1 request as HttpSession reads it from a socket: Beast's parser with the server's
// limits, fed in reads of any size, then the target and headers as the handlers see them.
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/Request.hpp"
#include "http/Server.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace bhttp = boost::beast::http;
    if (size < 1) return 0;
    // The first byte chooses how the bytes arrive: one read per chunk.
    const size_t chunk = 1 + data[0] % 61;
    const vg::http::ServerOptions limits;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(limits.body_limit);
    parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));

    std::string pending;  // read, not consumed by the parser yet
    boost::beast::error_code ec;
    for (size_t at = 1; at < size && !parser.is_done();) {
        const size_t n = std::min(chunk, size - at);
        pending.append(reinterpret_cast<const char*>(data + at), n);
        at += n;
        while (!pending.empty() && !parser.is_done()) {
            const size_t used = parser.put(boost::asio::buffer(pending), ec);
            pending.erase(0, used);
            if (ec == bhttp::error::need_more) {
                ec = {};
                break;
            }
            if (ec) return 0;  // the server answers 400, 413 or 431 and closes
        }
    }
    if (!parser.is_done()) return 0;  // the read times out

    const auto& message = parser.get();
    if (message.body().size() > limits.body_limit) __builtin_trap();
    vg::http::Request request;
    request.method = std::string(message.method_string());
    for (const auto& field : message)
        request.headers.emplace(std::string(field.name_string()), std::string(field.value()));
    if (!request.set_target(std::string(message.target()))) return 0;
    // A target that passes never holds what no route or file may: a NUL byte.
    if (request.path.find('\0') != std::string::npos || request.path.empty() ||
        request.path.front() != '/')
        __builtin_trap();
    for (const auto& [name, value] : request.query)
        if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos)
            __builtin_trap();
    (void)request.bearer_token();
    return 0;
}
