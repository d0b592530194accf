#include "WebSocketClient.hpp"

#include <random>
#include <stdexcept>

namespace vg::test {

namespace {

std::string base64(const std::string& bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                     (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                     static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i + 1 == bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == bytes.size()) {
        unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                     (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

std::string random_bytes(std::size_t n) {
    thread_local std::mt19937 random{std::random_device{}()};
    std::string out(n, '\0');
    for (auto& c : out) c = static_cast<char>(random() & 0xff);
    return out;
}

}  // namespace

std::uint16_t WebSocketClient::Message::close_code() const {
    if (payload.size() < 2) return 1005;
    return static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                      static_cast<unsigned char>(payload[1]));
}

WebSocketClient::WebSocketClient(const std::string& host, std::uint16_t port,
                                 const std::string& path, const HttpHeaders& headers,
                                 std::chrono::milliseconds timeout)
    : tcp_(host, port, timeout) {
    HttpHeaders all = {{"Upgrade", "websocket"},
                       {"Connection", "Upgrade"},
                       {"Sec-WebSocket-Key", base64(random_bytes(16))},
                       {"Sec-WebSocket-Version", "13"}};
    all.insert(all.end(), headers.begin(), headers.end());
    handshake_ = tcp_.request("GET", path, all);
    if (handshake_.status != 101) {
        throw std::runtime_error("websocket upgrade answered " + std::to_string(handshake_.status) +
                                 ": " + handshake_.body);
    }
}

void WebSocketClient::send_frame(Opcode opcode, std::string_view payload, bool fin) {
    std::string frame;
    frame += static_cast<char>((fin ? 0x80 : 0) | opcode);
    const std::size_t size = payload.size();
    if (size < 126) {
        frame += static_cast<char>(0x80 | size);
    } else if (size <= 0xffff) {
        frame += static_cast<char>(0x80 | 126);
        frame += static_cast<char>(size >> 8);
        frame += static_cast<char>(size & 0xff);
    } else {
        frame += static_cast<char>(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            frame += static_cast<char>((size >> shift) & 0xff);
    }
    const std::string mask = random_bytes(4);
    frame += mask;
    for (std::size_t i = 0; i < size; ++i) frame += static_cast<char>(payload[i] ^ mask[i % 4]);
    tcp_.send(frame);
}

void WebSocketClient::close(std::uint16_t code, std::string_view reason) {
    std::string payload;
    payload += static_cast<char>(code >> 8);
    payload += static_cast<char>(code & 0xff);
    payload += reason;
    send_frame(Close, payload);
}

std::string WebSocketClient::read(std::size_t size) {
    while (buffer_.size() < size) {
        std::string more = tcp_.receive_some();
        if (more.empty()) throw std::runtime_error("websocket: connection closed");
        buffer_ += more;
    }
    std::string data = buffer_.substr(0, size);
    buffer_.erase(0, size);
    return data;
}

WebSocketClient::Message WebSocketClient::receive() {
    Message message;
    bool started = false;
    for (;;) {
        std::string head = read(2);
        const bool fin = (head[0] & 0x80) != 0;
        const auto opcode = static_cast<Opcode>(head[0] & 0x0f);
        std::uint64_t size = head[1] & 0x7f;
        if (size == 126 || size == 127) {
            std::string extended = read(size == 126 ? 2 : 8);
            size = 0;
            for (char c : extended) size = (size << 8) | static_cast<unsigned char>(c);
        }
        if (head[1] & 0x80) throw std::runtime_error("websocket: the server masked a frame");
        std::string payload = read(static_cast<std::size_t>(size));
        if (opcode == Ping) {
            send_frame(Pong, payload);
            continue;
        }
        if (opcode == Pong) continue;
        if (opcode == Close) return Message{Close, payload};
        if (!started) {
            message.opcode = opcode;
            started = true;
        }
        message.payload += payload;
        if (fin) return message;
    }
}

std::string WebSocketClient::receive_text() {
    Message message = receive();
    if (message.opcode != Text) {
        throw std::runtime_error("websocket: expected text, got opcode " +
                                 std::to_string(message.opcode) + " (close code " +
                                 std::to_string(message.close_code()) + ")");
    }
    return message.payload;
}

}  // namespace vg::test
