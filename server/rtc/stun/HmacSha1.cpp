#include "rtc/stun/HmacSha1.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace vg::rtc::stun {

namespace {

struct ThreadContext {
    ThreadContext() {
        mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
        if (mac != nullptr) {
            ctx = EVP_MAC_CTX_new(mac);
        }
    }
    ~ThreadContext() {
        EVP_MAC_CTX_free(ctx);
        EVP_MAC_free(mac);
    }
    ThreadContext(const ThreadContext&) = delete;
    ThreadContext& operator=(const ThreadContext&) = delete;

    EVP_MAC* mac = nullptr;      // Allocated by this.
    EVP_MAC_CTX* ctx = nullptr;  // Allocated by this.
    bool digest_set = false;
};

}  // namespace

bool HmacSha1::compute(std::string_view key, std::initializer_list<std::span<const uint8_t>> parts,
                       std::span<uint8_t, kSize> out) {
    // An empty key would make EVP_MAC_init reuse the previous call's key.
    if (key.empty()) {
        return false;
    }
    thread_local ThreadContext tc;
    if (tc.ctx == nullptr) {
        return false;
    }
    char digest[] = "SHA1";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    // The digest is set once: setting it again would fetch it again on every packet.
    if (EVP_MAC_init(tc.ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                     tc.digest_set ? nullptr : params) != 1) {
        return false;
    }
    tc.digest_set = true;
    for (const auto& part : parts) {
        if (!part.empty() && EVP_MAC_update(tc.ctx, part.data(), part.size()) != 1) {
            return false;
        }
    }
    size_t written = 0;
    return EVP_MAC_final(tc.ctx, out.data(), &written, out.size()) == 1 && written == kSize;
}

}  // namespace vg::rtc::stun
