#pragma once
// The fixed SRTP keys and SSRCs the ceiling program and the load client agree on (the ceiling
// does no DTLS: it measures forwarding alone).
#include <cstddef>
#include <cstdint>

#include "rtc/srtp/SrtpProfile.hpp"

namespace vg::bench {

inline rtc::srtp::SrtpKeys ceiling_keys(std::size_t peer) {
    rtc::srtp::SrtpKeys keys;
    keys.profile = rtc::srtp::SrtpProfile::AeadAes128Gcm;
    const std::size_t length =
        rtc::srtp::master_key_length(keys.profile) + rtc::srtp::master_salt_length(keys.profile);
    for (std::size_t i = 0; i < length; ++i) {
        keys.local.push_back(static_cast<std::uint8_t>(peer * 31 + i));
        keys.remote.push_back(static_cast<std::uint8_t>(peer * 17 + i + 101));
    }
    return keys;
}

// kind: 0 audio, 1 video.
inline std::uint32_t ceiling_ssrc(std::size_t peer, unsigned kind) {
    return 0x10000000U | static_cast<std::uint32_t>(peer << 4) | kind;
}

inline std::size_t ceiling_peer_of(std::uint32_t ssrc) {
    return (ssrc & 0x00fffff0U) >> 4;
}

}  // namespace vg::bench
