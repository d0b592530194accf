#pragma once
// The SRTP protection profiles we negotiate through DTLS (RFC 5764, RFC 7714) and the keying
// material a DTLS handshake hands to the SRTP sessions.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace vg::rtc::srtp {

enum class SrtpProfile {
    AeadAes128Gcm,  // preferred: about 5x cheaper than AES-CM + HMAC with Debian's libsrtp2
    AesCm128HmacSha180,
};

// Master key and salt lengths in bytes (RFC 5764 section 4.1.2, RFC 7714 section 12).
constexpr std::size_t master_key_length(SrtpProfile) {
    return 16;
}
constexpr std::size_t master_salt_length(SrtpProfile profile) {
    return profile == SrtpProfile::AeadAes128Gcm ? 12 : 14;
}

// The OpenSSL name of a profile ("SRTP_AEAD_AES_128_GCM"), and back; nullopt for others.
std::string_view openssl_name(SrtpProfile profile);
std::optional<SrtpProfile> profile_from_openssl_name(std::string_view name);

// What one side needs to key its two sessions: our outbound master key||salt and the peer's.
struct SrtpKeys {
    SrtpProfile profile = SrtpProfile::AeadAes128Gcm;
    std::vector<std::uint8_t> local;   // protects what we send
    std::vector<std::uint8_t> remote;  // unprotects what we receive
};

}  // namespace vg::rtc::srtp
