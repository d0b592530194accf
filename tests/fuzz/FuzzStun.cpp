// STUN parsing, integrity and fingerprint checks, and the ICE-lite agent on arbitrary bytes.
#include <netinet/in.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "rtc/ice/IceLiteAgent.hpp"
#include "rtc/stun/Message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace vg::rtc;
    const std::span<const uint8_t> bytes(data, size);
    (void)ice::IceLiteAgent::local_ufrag_of(bytes);
    if (const auto m = stun::Message::parse(bytes)) {
        (void)m->method();
        (void)m->message_class();
        (void)m->username();
        (void)m->priority();
        (void)m->ice_controlled();
        (void)m->ice_controlling();
        (void)m->error_code();
        (void)m->xor_mapped_address();
        (void)m->check_message_integrity("VOkJxbRl1RmTxUk/WvJxBt");
        (void)m->check_fingerprint();
    }
    static ice::IceLiteAgent agent(ice::Credentials{"evtj", "VOkJxbRl1RmTxUk/WvJxBt"});
    sockaddr_in from{};
    from.sin_family = AF_INET;
    from.sin_port = htons(5000);
    std::array<uint8_t, 1500> response{};
    const auto result = agent.handle_binding_request(
        bytes, reinterpret_cast<const sockaddr*>(&from), response, ice::IceLiteAgent::Clock::now());
    // Whatever we answer must itself be a valid, signed STUN message.
    if (result.response_size != 0) {
        const auto answer = stun::Message::parse(std::span(response).first(result.response_size));
        if (!answer || !answer->check_fingerprint() ||
            !answer->check_message_integrity("VOkJxbRl1RmTxUk/WvJxBt")) {
            __builtin_trap();
        }
    }
    return 0;
}
