#pragma once
// Secrets at rest and in transit: random tokens (API keys, booth credentials, agent sessions),
// their hashes for storage, agent password hashing, and HMAC signatures for short-lived tokens.
// Tokens are stored only as SHA-256 hashes: they already carry >= 128 random bits, so a fast hash
// is enough; passwords are chosen by people, so they get a slow, salted KDF.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vg::common::secret {

// bytes random bytes from the OpenSSL CSPRNG, base64url without padding (32 bytes -> 43 chars).
// Throws std::runtime_error if the generator fails.
std::string random_token(std::size_t bytes = 32);

// A uniformly drawn integer in [0, bound) from the CSPRNG (bound > 0).
std::uint32_t random_below(std::uint32_t bound);

// Lowercase hex SHA-256 of a token: what the database stores and looks up (64 chars).
std::string token_hash(std::string_view token);

// "pbkdf2-sha256$<iterations>$<salt base64url>$<hash base64url>", 16-byte random salt, 32-byte
// hash. The default follows OWASP's 2023 advice for PBKDF2-HMAC-SHA256.
inline constexpr int kDefaultPasswordIterations = 600000;
std::string hash_password(std::string_view password, int iterations = kDefaultPasswordIterations);

// True when password matches a hash_password string; false for any malformed string or an
// iteration count outside [1000, 10,000,000] (a stored value never makes us spin for minutes).
bool verify_password(std::string_view password, std::string_view stored);

// Comparison whose duration does not depend on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// HMAC-SHA256 of message under key, base64url without padding.
std::string hmac_sha256(std::string_view key, std::string_view message);

// HMAC-SHA1 of message under key, standard base64 with padding: the TURN REST credential that
// coturn's use-auth-secret recomputes.
std::string hmac_sha1_base64(std::string_view key, std::string_view message);

std::string base64url_encode(std::string_view bytes);
// nullopt when text holds anything but base64url characters or has an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace vg::common::secret
