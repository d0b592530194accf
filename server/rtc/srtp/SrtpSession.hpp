#pragma once
// One direction of SRTP/SRTCP for one transport (all SSRCs share the DTLS-exported key).
// Protection works in place on the caller's buffer; the data path never throws, it gets bools.
#include <cstddef>
#include <cstdint>
#include <span>

#include "rtc/srtp/SrtpProfile.hpp"

// Opaque libsrtp2 session; keeps srtp2/srtp.h out of our headers.
struct srtp_ctx_t_;

namespace vg::rtc::srtp {

class SrtpSession {
  public:
    enum class Direction { Inbound, Outbound };

    // Bytes protect_* may append: the SRTP/SRTCP authentication tag and the SRTCP index.
    static constexpr std::size_t max_trailer = 16 + 4 + 128;

    // key_and_salt: master key followed by master salt, lengths per profile. Throws
    // std::invalid_argument on a wrong length and std::runtime_error if libsrtp2 refuses.
    SrtpSession(Direction direction, SrtpProfile profile,
                std::span<const std::uint8_t> key_and_salt);
    ~SrtpSession();
    SrtpSession(const SrtpSession&) = delete;
    SrtpSession& operator=(const SrtpSession&) = delete;

    // Outbound: encrypt and authenticate data[0, size); size grows by the trailer, which must
    // fit in capacity. Inbound: verify (also against replay) and decrypt; size shrinks. False
    // means drop the packet; data is then unspecified.
    bool protect_rtp(std::uint8_t* data, std::size_t& size, std::size_t capacity);
    bool unprotect_rtp(std::uint8_t* data, std::size_t& size);
    bool protect_rtcp(std::uint8_t* data, std::size_t& size, std::size_t capacity);
    bool unprotect_rtcp(std::uint8_t* data, std::size_t& size);

    Direction direction() const { return direction_; }
    SrtpProfile profile() const { return profile_; }

  private:
    Direction direction_;
    SrtpProfile profile_;
    srtp_ctx_t_* session_ = nullptr;  // Allocated by this.
};

}  // namespace vg::rtc::srtp
