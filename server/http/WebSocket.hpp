#pragma once
// The seam between the HTTP server (which owns the Beast WebSocket sessions) and the protocols
// spoken over them (signaling/: live events and call signaling). Text frames only.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/Request.hpp"

namespace vg::http {

// The server side of one open WebSocket. Thread-safe: send and close may be called from any
// thread; they are posted to the connection's strand. Sends beyond the write-queue bound close the
// connection (1008) rather than grow without limit.
class WebSocketConnection {
  public:
    virtual ~WebSocketConnection() = default;
    virtual void send(std::string text) = 0;
    virtual void close(std::uint16_t code, std::string reason) = 0;
    virtual const std::string& remote_address() const = 0;
};

// What the protocol does with one connection. Called on the connection's strand, one call at a
// time; on_close is called once, last.
class WebSocketPeer {
  public:
    virtual ~WebSocketPeer() = default;
    virtual void on_message(std::string text) = 0;
    virtual void on_close() = 0;
};

// Made on upgrade. The peer keeps only a weak_ptr (or the shared_ptr, since the connection does
// not own the factory) to the connection.
using WebSocketFactory = std::function<std::shared_ptr<WebSocketPeer>(
    std::shared_ptr<WebSocketConnection>, const Request& upgrade_request)>;

}  // namespace vg::http
