#pragma once
// A minimal WebSocket client for tests (RFC 6455, client frames masked) over TcpClient.
// Answers pings itself; every wait is bounded by the timeout.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "HttpClient.hpp"

namespace vg::test {

class WebSocketClient {
  public:
    enum Opcode : std::uint8_t {
        Continuation = 0,
        Text = 1,
        Binary = 2,
        Close = 8,
        Ping = 9,
        Pong = 10
    };
    struct Message {
        Opcode opcode = Text;
        std::string payload;
        std::uint16_t close_code() const;  // for a Close message; 1005 when it has none
    };

    // Connects and upgrades; throws std::runtime_error unless the server answers 101.
    WebSocketClient(const std::string& host, std::uint16_t port, const std::string& path,
                    const HttpHeaders& headers = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(5));

    void send_text(std::string_view text) { send_frame(Text, text); }
    void send_frame(Opcode opcode, std::string_view payload, bool fin = true);
    void close(std::uint16_t code = 1000, std::string_view reason = {});
    // The next data or close message (fragments joined); throws on timeout or a closed socket.
    Message receive();
    std::string receive_text();  // throws unless the next message is text

    const HttpResponse& handshake() const { return handshake_; }
    TcpClient& tcp() { return tcp_; }

  private:
    std::string read(std::size_t size);

    TcpClient tcp_;
    HttpResponse handshake_;
    std::string buffer_;
};

}  // namespace vg::test
