#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

namespace vg::rtc::stun {

// HMAC-SHA1 on OpenSSL's EVP_MAC with one context per thread, re-keyed per call, so checking a
// binding request allocates nothing.
class HmacSha1 {
  public:
    static constexpr size_t kSize = 20;

    // The MAC of the concatenated parts under key. False if the key is empty or OpenSSL fails.
    static bool compute(std::string_view key, std::initializer_list<std::span<const uint8_t>> parts,
                        std::span<uint8_t, kSize> out);
};

}  // namespace vg::rtc::stun
