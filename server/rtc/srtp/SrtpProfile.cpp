#include "rtc/srtp/SrtpProfile.hpp"

namespace vg::rtc::srtp {

std::string_view openssl_name(SrtpProfile profile) {
    return profile == SrtpProfile::AeadAes128Gcm ? "SRTP_AEAD_AES_128_GCM"
                                                 : "SRTP_AES128_CM_SHA1_80";
}

std::optional<SrtpProfile> profile_from_openssl_name(std::string_view name) {
    if (name == "SRTP_AEAD_AES_128_GCM") return SrtpProfile::AeadAes128Gcm;
    if (name == "SRTP_AES128_CM_SHA1_80") return SrtpProfile::AesCm128HmacSha180;
    return std::nullopt;
}

}  // namespace vg::rtc::srtp
