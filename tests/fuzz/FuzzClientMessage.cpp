// A text frame from a browser on either WebSocket protocol (read_client_message): /rtc/v1 call
// signaling (join, offer, answer, candidate, leave) and /api/v1/events (hello, ping). The first
// byte picks the protocol's size limit.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "signaling/ClientMessage.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace vg::signaling;
    if (size < 1) return 0;
    // CallSignalingOptions::max_message_bytes and LiveEventsOptions::max_message_bytes.
    const std::size_t limit = data[0] % 2 == 0 ? 64 * 1024 : 4096;
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto read = read_client_message(text, limit);
    if (const auto* error = std::get_if<ClientMessageError>(&read)) {
        if (error->code != "too_large" && error->code != "bad_json" && error->code != "bad_message")
            __builtin_trap();
        return 0;
    }
    // A message that passes is an object under the limit whose type is a non-empty string.
    const auto& message = std::get<ClientMessage>(read);
    if (text.size() > limit || !message.body.is_object() || message.type.empty() ||
        message.body.at("type").get<std::string>() != message.type)
        __builtin_trap();
    return 0;
}
