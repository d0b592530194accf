#pragma once
// A parsed STUN message (RFC 8489): a read-only view over the caller's bytes, which must outlive
// it. Parsing never allocates and never throws; a malformed message gives std::nullopt.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "rtc/stun/Constants.hpp"

namespace vg::rtc::stun {

struct ErrorCode {
    uint16_t code = 0;  // 300..699
    std::string_view reason;
};

class Message {
  public:
    // Cheap test on the first bytes: could this datagram be STUN at all (zero top bits, magic
    // cookie, length matching the datagram)?
    static bool looks_like_stun(std::span<const uint8_t> data);

    // Full validation of header and attribute framing; data must be exactly one message.
    static std::optional<Message> parse(std::span<const uint8_t> data);

    uint16_t type() const;
    Method method() const;
    Class message_class() const;
    std::span<const uint8_t, kTransactionIdSize> transaction_id() const;
    std::span<const uint8_t> bytes() const { return data_; }

    std::optional<std::string_view> username() const;
    std::optional<uint32_t> priority() const;
    bool use_candidate() const { return useCandidate_; }
    std::optional<uint64_t> ice_controlling() const;
    std::optional<uint64_t> ice_controlled() const;
    std::optional<ErrorCode> error_code() const;
    // The decoded address (sockaddr_in or sockaddr_in6 inside the storage).
    std::optional<sockaddr_storage> xor_mapped_address() const;

    bool has_message_integrity() const { return integrityAt_ != 0; }
    bool has_fingerprint() const { return fingerprintAt_ != 0; }
    // HMAC-SHA1 of the message up to MESSAGE-INTEGRITY, with the header length counting up to
    // and including that attribute (RFC 8489 14.5). False when absent or wrong.
    bool check_message_integrity(std::string_view key) const;
    // CRC-32 of everything before FINGERPRINT, xor 0x5354554e. False when absent or wrong.
    bool check_fingerprint() const;

  private:
    explicit Message(std::span<const uint8_t> data) : data_(data) {}
    // Value bytes of the attribute whose header starts at offset (0 = absent).
    std::span<const uint8_t> value(uint16_t offset) const;

    std::span<const uint8_t> data_;
    // Offsets of the first occurrence of each attribute we read; 0 means absent (no attribute
    // can start inside the header).
    uint16_t usernameAt_ = 0;
    uint16_t priorityAt_ = 0;
    uint16_t controllingAt_ = 0;
    uint16_t controlledAt_ = 0;
    uint16_t errorCodeAt_ = 0;
    uint16_t xorMappedAt_ = 0;
    uint16_t integrityAt_ = 0;
    uint16_t fingerprintAt_ = 0;
    bool useCandidate_ = false;
};

}  // namespace vg::rtc::stun
