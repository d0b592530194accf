#include "desk/PasswordHash.hpp"

#include <argon2.h>

#include <charconv>
#include <optional>
#include <stdexcept>
#include <vector>

#include "common/Secret.hpp"

namespace vg::desk {

namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::uint32_t kMaxMemoryKib = 256 * 1024;
constexpr std::uint32_t kMaxPasses = 10;
constexpr std::uint32_t kMaxLanes = 4;
constexpr std::string_view kPrefix = "$argon2id$v=19$";

bool within_bounds(const Argon2Parameters& p) {
    return p.memory_kib >= 8 * p.lanes && p.memory_kib <= kMaxMemoryKib && p.passes >= 1 &&
           p.passes <= kMaxPasses && p.lanes >= 1 && p.lanes <= kMaxLanes;
}

std::optional<std::uint32_t> number_after(std::string_view text, std::string_view label) {
    if (text.substr(0, label.size()) != label) return std::nullopt;
    text.remove_prefix(label.size());
    std::uint32_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

// The parameters of an Argon2id string we could have written; nullopt for anything else.
std::optional<Argon2Parameters> parameters_of(std::string_view stored) {
    if (stored.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    stored.remove_prefix(kPrefix.size());
    auto end = stored.find('$');
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view list = stored.substr(0, end);
    std::vector<std::string_view> items;
    for (std::size_t start = 0; items.size() < 4;) {
        auto comma = list.find(',', start);
        items.push_back(
            list.substr(start, comma == std::string_view::npos ? comma : comma - start));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    if (items.size() != 3) return std::nullopt;
    auto m = number_after(items[0], "m=");
    auto t = number_after(items[1], "t=");
    auto p = number_after(items[2], "p=");
    if (!m || !t || !p) return std::nullopt;
    Argon2Parameters parameters{*m, *t, *p};
    if (!within_bounds(parameters)) return std::nullopt;
    return parameters;
}

}  // namespace

std::string PasswordHash::make(std::string_view password, const Argon2Parameters& parameters) {
    if (!within_bounds(parameters)) throw std::invalid_argument("Argon2id parameters out of range");
    auto salt = *common::secret::base64url_decode(common::secret::random_token(kSaltBytes));
    std::string encoded(argon2_encodedlen(parameters.passes, parameters.memory_kib,
                                          parameters.lanes, kSaltBytes, kHashBytes, Argon2_id),
                        '\0');
    int result = argon2id_hash_encoded(parameters.passes, parameters.memory_kib, parameters.lanes,
                                       password.data(), password.size(), salt.data(), salt.size(),
                                       kHashBytes, encoded.data(), encoded.size());
    if (result != ARGON2_OK)
        throw std::runtime_error(std::string("Argon2id failed: ") + argon2_error_message(result));
    encoded.resize(encoded.find('\0'));
    return encoded;
}

bool PasswordHash::verify(std::string_view password, const std::string& stored) {
    if (stored.rfind("pbkdf2-sha256$", 0) == 0)
        return common::secret::verify_password(password, stored);
    if (!parameters_of(stored)) return false;
    // libargon2 compares in constant time and reads the cost from the string, checked above.
    return argon2id_verify(stored.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool PasswordHash::needs_rehash(const std::string& stored, const Argon2Parameters& parameters) {
    auto current = parameters_of(stored);
    return !current || current->memory_kib != parameters.memory_kib ||
           current->passes != parameters.passes || current->lanes != parameters.lanes;
}

}  // namespace vg::desk
