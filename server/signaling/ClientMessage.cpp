#include "signaling/ClientMessage.hpp"

namespace vg::signaling {

std::variant<ClientMessage, ClientMessageError> read_client_message(const std::string& text,
                                                                    std::size_t max_bytes) {
    if (text.size() > max_bytes) {
        return ClientMessageError{
            "too_large", "messages are limited to " + std::to_string(max_bytes) + " bytes"};
    }
    auto body = nlohmann::json::parse(text, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return ClientMessageError{"bad_json", "a message is one JSON object"};
    }
    auto type = body.find("type");
    if (type == body.end() || !type->is_string() || type->get_ref<const std::string&>().empty()) {
        return ClientMessageError{"bad_message", "type is missing"};
    }
    std::string name = type->get<std::string>();
    return ClientMessage{std::move(body), std::move(name)};
}

}  // namespace vg::signaling
