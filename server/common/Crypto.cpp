#include "common/Crypto.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <stdexcept>

namespace vg::common::crypto {
namespace {

const unsigned char* bytes_of(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

template <std::size_t Size>
std::array<std::uint8_t, Size> hmac(const EVP_MD* digest, std::string_view key,
                                    std::string_view message) {
    // HMAC() takes the key's length as an int: a longer key is a caller's bug, not a secret.
    if (key.size() > INT_MAX) throw std::invalid_argument("HMAC key too long");
    std::array<std::uint8_t, Size> mac{};
    unsigned int length = 0;
    if (HMAC(digest, key.data(), static_cast<int>(key.size()), bytes_of(message), message.size(),
             mac.data(), &length) == nullptr ||
        length != Size)
        throw std::runtime_error("HMAC failed");
    return mac;
}

}  // namespace

void fill_random(std::span<std::uint8_t> out) {
    // RAND_bytes takes an int: draw a huge buffer in pieces.
    while (!out.empty()) {
        auto piece = std::min<std::size_t>(out.size(), INT_MAX);
        if (RAND_bytes(out.data(), static_cast<int>(piece)) != 1)
            throw std::runtime_error("random generator failed");
        out = out.subspan(piece);
    }
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    fill_random(std::span(reinterpret_cast<std::uint8_t*>(out.data()), out.size()));
    return out;
}

Sha256Digest sha256(std::string_view data) {
    Sha256Digest digest{};
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
        length != digest.size())
        throw std::runtime_error("SHA-256 failed");
    return digest;
}

std::string sha256_hex(std::string_view data) {
    return to_hex(sha256(data));
}

Sha256Digest hmac_sha256(std::string_view key, std::string_view message) {
    return hmac<kSha256Size>(EVP_sha256(), key, message);
}

Sha1Digest hmac_sha1(std::string_view key, std::string_view message) {
    return hmac<kSha1Size>(EVP_sha1(), key, message);
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto byte : bytes) {
        out += kHex[byte >> 4];
        out += kHex[byte & 15];
    }
    return out;
}

}  // namespace vg::common::crypto
