#pragma once
// Builds one STUN message into a caller's buffer. Never allocates or throws: when the buffer is
// too small the writer stops and finish() returns 0. MESSAGE-INTEGRITY and FINGERPRINT must be
// the last two attributes added, in that order.
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "rtc/stun/Constants.hpp"

namespace vg::rtc::stun {

class MessageWriter {
  public:
    MessageWriter(std::span<uint8_t> buffer, Method method, Class cls,
                  std::span<const uint8_t, kTransactionIdSize> transaction_id);

    void add_username(std::string_view username);
    void add_priority(uint32_t priority);
    void add_use_candidate();
    void add_ice_controlling(uint64_t tie_breaker);
    void add_ice_controlled(uint64_t tie_breaker);
    void add_error_code(uint16_t code, std::string_view reason);
    // address holds a sockaddr_in or sockaddr_in6; other families make the writer fail.
    void add_xor_mapped_address(const sockaddr* address);
    void add_software(std::string_view software);
    void add_message_integrity(std::string_view key);
    void add_fingerprint();

    bool ok() const { return ok_; }
    // Size of the finished message, 0 if anything failed.
    size_t finish() const { return ok_ ? size_ : 0; }

  private:
    // Reserves an attribute header and padded value; nullptr (and failure) when it does not fit.
    uint8_t* append(uint16_t type, size_t length);
    void append_bytes(uint16_t type, std::span<const uint8_t> value);

    std::span<uint8_t> buffer_;
    size_t size_ = 0;
    bool ok_ = true;
};

}  // namespace vg::rtc::stun
