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
    (void)ice::IceLiteAgent::localUfragOf(bytes);
    if (const auto m = stun::Message::parse(bytes)) {
        (void)m->method();
        (void)m->messageClass();
        (void)m->username();
        (void)m->priority();
        (void)m->iceControlled();
        (void)m->iceControlling();
        (void)m->errorCode();
        (void)m->xorMappedAddress();
        (void)m->checkMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBt");
        (void)m->checkFingerprint();
    }
    static ice::IceLiteAgent agent(ice::Credentials{"evtj", "VOkJxbRl1RmTxUk/WvJxBt"});
    sockaddr_in from{};
    from.sin_family = AF_INET;
    from.sin_port = htons(5000);
    std::array<uint8_t, 1500> response{};
    const auto result = agent.handleBindingRequest(bytes, reinterpret_cast<const sockaddr*>(&from),
                                                   response, ice::IceLiteAgent::Clock::now());
    // Whatever we answer must itself be a valid, signed STUN message.
    if (result.responseSize != 0) {
        const auto answer = stun::Message::parse(std::span(response).first(result.responseSize));
        if (!answer || !answer->checkFingerprint() ||
            !answer->checkMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBt")) {
            __builtin_trap();
        }
    }
    return 0;
}
