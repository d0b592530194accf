#include "common/Secret.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <stdexcept>
#include <vector>

#include "common/Crypto.hpp"

namespace vg::common::secret {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kPasswordScheme = "pbkdf2-sha256";
constexpr int kMinIterations = 1000;
constexpr int kMaxIterations = 10'000'000;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

const unsigned char* bytes_of(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

using crypto::random_bytes;

std::string pbkdf2(std::string_view password, std::string_view salt, int iterations) {
    std::string out(kHashBytes, '\0');
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), bytes_of(salt),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(),
                          static_cast<int>(out.size()),
                          reinterpret_cast<unsigned char*>(out.data())) != 1)
        throw std::runtime_error("PBKDF2 failed");
    return out;
}

int decode_char(char c) {
    auto pos = kAlphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                     static_cast<unsigned char>(bytes[i + 1]) << 8 |
                     static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
        out += kAlphabet[v >> 6 & 63];
        out += kAlphabet[v & 63];
    }
    std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
        if (rest == 2) out += kAlphabet[v >> 6 & 63];
    }
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    unsigned acc = 0;
    int bits = 0;
    for (char c : text) {
        int v = decode_char(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 6 | static_cast<unsigned>(v)) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>(acc >> bits & 0xff);
        }
    }
    // Leftover bits must be zero, so every byte string has exactly one encoding.
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

std::string random_token(std::size_t bytes) {
    return base64url_encode(random_bytes(bytes));
}

std::uint32_t random_below(std::uint32_t bound) {
    if (bound == 0) throw std::invalid_argument("random_below(0)");
    // Rejection sampling: drop draws from the incomplete last block so every value is as likely.
    const std::uint32_t limit = UINT32_MAX - UINT32_MAX % bound;
    for (;;) {
        auto value = crypto::random_integer<std::uint32_t>();
        if (value < limit) return value % bound;
    }
}

std::string token_hash(std::string_view token) {
    return crypto::sha256_hex(token);
}

std::string hash_password(std::string_view password, int iterations) {
    if (iterations < kMinIterations || iterations > kMaxIterations)
        throw std::invalid_argument("password iterations out of range");
    std::string salt = random_bytes(kSaltBytes);
    return std::string(kPasswordScheme) + "$" + std::to_string(iterations) + "$" +
           base64url_encode(salt) + "$" + base64url_encode(pbkdf2(password, salt, iterations));
}

bool verify_password(std::string_view password, std::string_view stored) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (parts.size() < 5) {
        auto end = stored.find('$', start);
        parts.push_back(stored.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    if (parts.size() != 4 || parts[0] != kPasswordScheme) return false;
    int iterations = 0;
    auto [ptr, ec] =
        std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), iterations);
    if (ec != std::errc{} || ptr != parts[1].data() + parts[1].size()) return false;
    if (iterations < kMinIterations || iterations > kMaxIterations) return false;
    auto salt = base64url_decode(parts[2]);
    auto expected = base64url_decode(parts[3]);
    if (!salt || !expected || salt->empty() || expected->size() != kHashBytes) return false;
    return constant_time_equal(pbkdf2(password, *salt, iterations), *expected);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    // The lengths of what we compare (hashes, MACs) are public; only the contents are secret.
    if (a.size() != b.size()) return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
    auto mac = crypto::hmac_sha256(key, message);
    return base64url_encode(
        std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

std::string hmac_sha1_base64(std::string_view key, std::string_view message) {
    auto mac = crypto::hmac_sha1(key, message);
    std::array<unsigned char, 4 * (crypto::kSha1Size + 2) / 3 + 1> text{};
    int written = EVP_EncodeBlock(text.data(), mac.data(), static_cast<int>(mac.size()));
    return std::string(reinterpret_cast<const char*>(text.data()),
                       static_cast<std::size_t>(written));
}

}  // namespace vg::common::secret
