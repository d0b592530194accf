#include "integration/faults/LiveConsole.hpp"

#include <stdexcept>

namespace vg::test::faults {

using nlohmann::json;

LiveConsole::LiveConsole(std::uint16_t port, const std::string& token)
    : ws_("127.0.0.1", port, "/api/v1/events") {
    ws_.send_text(json{{"type", "hello"}, {"token", token}}.dump());
    auto hello = read();
    if (hello.value("type", "") != "hello") throw std::runtime_error("no hello: " + hello.dump());
    snapshot_ = read();
    if (snapshot_.value("type", "") != "snapshot")
        throw std::runtime_error("no snapshot: " + snapshot_.dump());
}

json LiveConsole::read() {
    auto message = ws_.receive();
    if (message.opcode == WebSocketClient::Close)
        throw std::runtime_error("closed with " + std::to_string(message.close_code()));
    auto parsed = json::parse(message.payload, nullptr, false);
    if (parsed.is_discarded()) throw std::runtime_error("not JSON: " + message.payload);
    return parsed;
}

json LiveConsole::next(const std::string& type, const std::function<bool(const json&)>& wanted,
                       int within_messages) {
    for (int i = 0; i < within_messages; ++i) {
        json message;
        try {
            message = read();
        } catch (const std::exception&) {
            return nullptr;
        }
        if (message.value("type", "") == type && wanted(message)) return message;
    }
    return nullptr;
}

}  // namespace vg::test::faults
