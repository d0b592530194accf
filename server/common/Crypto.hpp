#pragma once
// OpenSSL's randomness, SHA-256 and HMAC behind one small API, so the rest of the server never
// includes <openssl/rand.h> or <openssl/evp.h> for them. Failures throw std::runtime_error: these
// run on the control path (making tokens, keys, certificates, ufrags, checksums). The STUN
// MESSAGE-INTEGRITY check (rtc/stun/HmacSha1) stays apart: it runs per packet and keeps a
// per-thread MAC context instead of throwing.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace vg::common::crypto {

inline constexpr std::size_t kSha256Size = 32;
inline constexpr std::size_t kSha1Size = 20;
using Sha256Digest = std::array<std::uint8_t, kSha256Size>;
using Sha1Digest = std::array<std::uint8_t, kSha1Size>;

// Fills out from the CSPRNG.
void fill_random(std::span<std::uint8_t> out);
// n random bytes.
std::string random_bytes(std::size_t n);
// A random value of an integer type (every bit pattern as likely).
template <typename Integer>
Integer random_integer() {
    static_assert(std::is_integral_v<Integer>);
    Integer value{};
    fill_random(std::span(reinterpret_cast<std::uint8_t*>(&value), sizeof value));
    return value;
}

Sha256Digest sha256(std::string_view data);
// Lowercase hex, 64 characters.
std::string sha256_hex(std::string_view data);

Sha256Digest hmac_sha256(std::string_view key, std::string_view message);
Sha1Digest hmac_sha1(std::string_view key, std::string_view message);

// Lowercase hex of bytes.
std::string to_hex(std::span<const std::uint8_t> bytes);

}  // namespace vg::common::crypto
