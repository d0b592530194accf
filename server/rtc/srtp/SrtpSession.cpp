#include "rtc/srtp/SrtpSession.hpp"

#include <srtp2/srtp.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "rtc/srtp/SrtpLibrary.hpp"

namespace vg::rtc::srtp {
namespace {

srtp_profile_t to_libsrtp(SrtpProfile profile) {
    return profile == SrtpProfile::AeadAes128Gcm ? srtp_profile_aead_aes_128_gcm
                                                 : srtp_profile_aes128_cm_sha1_80;
}

// RTP and SRTP packets are small; an int length cannot overflow for anything we accept.
constexpr std::size_t max_packet = 65536;

}  // namespace

SrtpSession::SrtpSession(Direction direction, SrtpProfile profile,
                         std::span<const std::uint8_t> key_and_salt)
    : direction_(direction), profile_(profile) {
    if (key_and_salt.size() != master_key_length(profile) + master_salt_length(profile))
        throw std::invalid_argument("SRTP key and salt have the wrong length");
    SrtpLibrary::ensure_initialized();

    srtp_policy_t policy{};
    if (srtp_crypto_policy_set_from_profile_for_rtp(&policy.rtp, to_libsrtp(profile)) !=
            srtp_err_status_ok ||
        srtp_crypto_policy_set_from_profile_for_rtcp(&policy.rtcp, to_libsrtp(profile)) !=
            srtp_err_status_ok)
        throw std::runtime_error("libsrtp2 does not support the SRTP profile");
    policy.ssrc.type = direction == Direction::Inbound ? ssrc_any_inbound : ssrc_any_outbound;
    policy.ssrc.value = 0;
    // libsrtp2 copies the key during srtp_create; it only wants a non-const pointer.
    std::vector<unsigned char> key(key_and_salt.begin(), key_and_salt.end());
    policy.key = key.data();
    // Browsers reorder by up to a few hundred packets under loss; 1024 matches mediasoup.
    policy.window_size = 1024;
    // Never protect an index twice: with AES-GCM the same SSRC and index is the same nonce, and
    // two packets under one nonce give away the authentication key. Retransmissions go in RTX,
    // under an SSRC and numbering of their own (room/QualityFeedback).
    policy.allow_repeat_tx = 0;
    policy.next = nullptr;

    if (const auto status = srtp_create(&session_, &policy); status != srtp_err_status_ok)
        throw std::runtime_error("srtp_create failed: " + std::to_string(status));
}

SrtpSession::~SrtpSession() {
    if (session_ != nullptr) srtp_dealloc(session_);
}

bool SrtpSession::protect_rtp(std::uint8_t* data, std::size_t& size, std::size_t capacity) {
    if (direction_ != Direction::Outbound || size > max_packet || size + max_trailer > capacity)
        return false;
    int length = static_cast<int>(size);
    if (srtp_protect(session_, data, &length) != srtp_err_status_ok) return false;
    size = static_cast<std::size_t>(length);
    return true;
}

bool SrtpSession::unprotect_rtp(std::uint8_t* data, std::size_t& size) {
    if (direction_ != Direction::Inbound || size > max_packet) return false;
    int length = static_cast<int>(size);
    if (srtp_unprotect(session_, data, &length) != srtp_err_status_ok) return false;
    size = static_cast<std::size_t>(length);
    return true;
}

bool SrtpSession::protect_rtcp(std::uint8_t* data, std::size_t& size, std::size_t capacity) {
    if (direction_ != Direction::Outbound || size > max_packet || size + max_trailer > capacity)
        return false;
    int length = static_cast<int>(size);
    if (srtp_protect_rtcp(session_, data, &length) != srtp_err_status_ok) return false;
    size = static_cast<std::size_t>(length);
    return true;
}

bool SrtpSession::unprotect_rtcp(std::uint8_t* data, std::size_t& size) {
    if (direction_ != Direction::Inbound || size > max_packet) return false;
    int length = static_cast<int>(size);
    if (srtp_unprotect_rtcp(session_, data, &length) != srtp_err_status_ok) return false;
    size = static_cast<std::size_t>(length);
    return true;
}

}  // namespace vg::rtc::srtp
