#include "rtc/stun/MessageWriter.hpp"

#include <netinet/in.h>

#include <cstring>

#include "rtc/rtp/ByteOrder.hpp"
#include "rtc/stun/Crc32.hpp"
#include "rtc/stun/HmacSha1.hpp"

namespace vg::rtc::stun {

using rtp::write16;
using rtp::write32;
using rtp::write64;

MessageWriter::MessageWriter(std::span<uint8_t> buffer, Method method, Class cls,
                             std::span<const uint8_t, kTransactionIdSize> transaction_id)
    : buffer_(buffer) {
    if (buffer_.size() < kHeaderSize) {
        ok_ = false;
        return;
    }
    write16(buffer_.data(), message_type(method, cls));
    write16(buffer_.data() + 2, 0);
    write32(buffer_.data() + 4, kMagicCookie);
    std::memcpy(buffer_.data() + 8, transaction_id.data(), kTransactionIdSize);
    size_ = kHeaderSize;
}

uint8_t* MessageWriter::append(uint16_t type, size_t length) {
    const size_t padded = (length + 3) & ~size_t{3};
    if (!ok_ || length > 0xFFFF || buffer_.size() - size_ < 4 + padded ||
        size_ + 4 + padded > kMaxMessageSize) {
        ok_ = false;
        return nullptr;
    }
    uint8_t* at = buffer_.data() + size_;
    write16(at, type);
    write16(at + 2, static_cast<uint16_t>(length));
    std::memset(at + 4 + length, 0, padded - length);
    size_ += 4 + padded;
    write16(buffer_.data() + 2, static_cast<uint16_t>(size_ - kHeaderSize));
    return at + 4;
}

void MessageWriter::append_bytes(uint16_t type, std::span<const uint8_t> value) {
    if (uint8_t* v = append(type, value.size()); v != nullptr && !value.empty()) {
        std::memcpy(v, value.data(), value.size());
    }
}

void MessageWriter::add_username(std::string_view username) {
    if (username.size() > kMaxUsernameSize) {
        ok_ = false;
        return;
    }
    append_bytes(attribute::kUsername,
                 {reinterpret_cast<const uint8_t*>(username.data()), username.size()});
}

void MessageWriter::add_software(std::string_view software) {
    append_bytes(attribute::kSoftware,
                 {reinterpret_cast<const uint8_t*>(software.data()), software.size()});
}

void MessageWriter::add_priority(uint32_t priority) {
    if (uint8_t* v = append(attribute::kPriority, 4)) {
        write32(v, priority);
    }
}

void MessageWriter::add_use_candidate() {
    append(attribute::kUseCandidate, 0);
}

void MessageWriter::add_ice_controlling(uint64_t tie_breaker) {
    if (uint8_t* v = append(attribute::kIceControlling, 8)) {
        write64(v, tie_breaker);
    }
}

void MessageWriter::add_ice_controlled(uint64_t tie_breaker) {
    if (uint8_t* v = append(attribute::kIceControlled, 8)) {
        write64(v, tie_breaker);
    }
}

void MessageWriter::add_error_code(uint16_t code, std::string_view reason) {
    if (code < 300 || code > 699 || reason.size() > 763) {
        ok_ = false;
        return;
    }
    if (uint8_t* v = append(attribute::kErrorCode, 4 + reason.size())) {
        v[0] = 0;
        v[1] = 0;
        v[2] = static_cast<uint8_t>(code / 100);
        v[3] = static_cast<uint8_t>(code % 100);
        if (!reason.empty()) {
            std::memcpy(v + 4, reason.data(), reason.size());
        }
    }
}

void MessageWriter::add_xor_mapped_address(const sockaddr* address) {
    if (address == nullptr) {
        ok_ = false;
        return;
    }
    if (address->sa_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, address, sizeof in);
        if (uint8_t* v = append(attribute::kXorMappedAddress, 8)) {
            v[0] = 0;
            v[1] = 0x01;
            write16(v + 2, static_cast<uint16_t>(ntohs(in.sin_port) ^ (kMagicCookie >> 16)));
            write32(v + 4, ntohl(in.sin_addr.s_addr) ^ kMagicCookie);
        }
    } else if (address->sa_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, address, sizeof in6);
        if (uint8_t* v = append(attribute::kXorMappedAddress, 20)) {
            v[0] = 0;
            v[1] = 0x02;
            write16(v + 2, static_cast<uint16_t>(ntohs(in6.sin6_port) ^ (kMagicCookie >> 16)));
            // Cookie and transaction id are the header bytes 4..19.
            for (size_t i = 0; i < 16; ++i) {
                v[4 + i] = static_cast<uint8_t>(in6.sin6_addr.s6_addr[i] ^ buffer_[4 + i]);
            }
        }
    } else {
        ok_ = false;
    }
}

void MessageWriter::add_message_integrity(std::string_view key) {
    const size_t covered = size_;
    uint8_t* v = append(attribute::kMessageIntegrity, kMessageIntegritySize);
    if (v == nullptr) {
        return;
    }
    // The header length already counts this attribute, as the MAC requires.
    if (!HmacSha1::compute(key, {buffer_.first(covered)},
                           std::span<uint8_t, HmacSha1::kSize>(v, HmacSha1::kSize))) {
        ok_ = false;
    }
}

void MessageWriter::add_fingerprint() {
    const size_t covered = size_;
    if (uint8_t* v = append(attribute::kFingerprint, 4)) {
        write32(v, Crc32::compute(buffer_.first(covered)) ^ kFingerprintXor);
    }
}

}  // namespace vg::rtc::stun
