#pragma once
// Agent passwords at rest: Argon2id (RFC 9106) through Debian's libargon2, in its own encoded
// form "$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>". Hashes written before it are
// PBKDF2 (common/Secret.hpp); they still verify, and needs_rehash says to replace them at the
// next good login. Both are slow on purpose: call them only on the PasswordHasher's threads.
#include <cstdint>
#include <string>
#include <string_view>

namespace vg::desk {

struct Argon2Parameters {
    // OWASP's 2023 minimum for Argon2id: 19 MiB, 2 passes, 1 lane (about 30 ms here).
    std::uint32_t memory_kib = 19456;
    std::uint32_t passes = 2;
    std::uint32_t lanes = 1;
};

class PasswordHash {
  public:
    // A new encoded hash with a 16-byte random salt and a 32-byte hash. Throws std::runtime_error
    // when libargon2 fails (out of memory), std::invalid_argument for parameters out of bounds.
    static std::string make(std::string_view password, const Argon2Parameters& parameters);
    // True when password matches stored (Argon2id or the older PBKDF2). False for a malformed
    // string, or one whose cost is beyond what we would ever write (256 MiB, 10 passes, 4 lanes):
    // a stored value never makes a login spin.
    static bool verify(std::string_view password, const std::string& stored);
    // True when stored is not an Argon2id hash with exactly these parameters.
    static bool needs_rehash(const std::string& stored, const Argon2Parameters& parameters);
};

}  // namespace vg::desk
