#pragma once
// A text frame from a browser as both WebSocket protocols (/rtc/v1, /api/v1/events) read it: one
// JSON object, at most max_bytes long, with a non-empty string "type".
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>

namespace vg::signaling {

struct ClientMessage {
    nlohmann::json body;
    std::string type;
};

// What the peer answers with {type: "error", code, message}: too_large, bad_json, bad_message.
struct ClientMessageError {
    std::string code;
    std::string message;
};

std::variant<ClientMessage, ClientMessageError> read_client_message(const std::string& text,
                                                                    std::size_t max_bytes);

}  // namespace vg::signaling
