#include "rtc/stun/Message.hpp"

#include <openssl/crypto.h>

#include <array>
#include <cstring>

#include "rtc/rtp/ByteOrder.hpp"
#include "rtc/stun/Crc32.hpp"
#include "rtc/stun/HmacSha1.hpp"

namespace vg::rtc::stun {

using rtp::read16;
using rtp::read32;
using rtp::read64;

namespace {

// Fixed value sizes; 0xFFFF marks attributes of variable size.
bool size_fits(uint16_t type, size_t length) {
    switch (type) {
        case attribute::kUsername:
            return length <= kMaxUsernameSize;
        case attribute::kMessageIntegrity:
            return length == kMessageIntegritySize;
        case attribute::kFingerprint:
        case attribute::kPriority:
            return length == 4;
        case attribute::kUseCandidate:
            return length == 0;
        case attribute::kIceControlled:
        case attribute::kIceControlling:
            return length == 8;
        case attribute::kXorMappedAddress:
            return length == 8 || length == 20;
        case attribute::kErrorCode:
            return length >= 4 && length <= 4 + 763;
        default:
            return true;
    }
}

}  // namespace

bool Message::looks_like_stun(std::span<const uint8_t> data) {
    return data.size() >= kHeaderSize && data.size() <= kMaxMessageSize && (data[0] & 0xC0) == 0 &&
           read32(data.data() + 4) == kMagicCookie &&
           static_cast<size_t>(read16(data.data() + 2)) + kHeaderSize == data.size();
}

std::optional<Message> Message::parse(std::span<const uint8_t> data) {
    if (!looks_like_stun(data) || (data.size() % 4) != 0) {
        return std::nullopt;
    }
    Message m(data);
    size_t at = kHeaderSize;
    while (at < data.size()) {
        if (m.fingerprintAt_ != 0) {
            return std::nullopt;  // FINGERPRINT must be the last attribute.
        }
        if (data.size() - at < 4) {
            return std::nullopt;
        }
        const uint16_t type = read16(data.data() + at);
        const size_t length = read16(data.data() + at + 2);
        const size_t padded = (length + 3) & ~size_t{3};
        if (data.size() - at - 4 < padded || !size_fits(type, length)) {
            return std::nullopt;
        }
        const auto offset = static_cast<uint16_t>(at);
        auto remember = [offset](uint16_t& slot) {
            if (slot == 0) {
                slot = offset;
            }
        };
        if (type == attribute::kFingerprint) {
            m.fingerprintAt_ = offset;
        } else if (m.integrityAt_ == 0) {
            // Attributes after MESSAGE-INTEGRITY (other than FINGERPRINT) are not covered by
            // it and are ignored (RFC 8489 14.5).
            switch (type) {
                case attribute::kUsername:
                    remember(m.usernameAt_);
                    break;
                case attribute::kPriority:
                    remember(m.priorityAt_);
                    break;
                case attribute::kIceControlling:
                    remember(m.controllingAt_);
                    break;
                case attribute::kIceControlled:
                    remember(m.controlledAt_);
                    break;
                case attribute::kErrorCode:
                    remember(m.errorCodeAt_);
                    break;
                case attribute::kXorMappedAddress:
                    remember(m.xorMappedAt_);
                    break;
                case attribute::kMessageIntegrity:
                    m.integrityAt_ = offset;
                    break;
                case attribute::kUseCandidate:
                    m.useCandidate_ = true;
                    break;
                default:
                    break;
            }
        }
        at += 4 + padded;
    }
    return m;
}

std::span<const uint8_t> Message::value(uint16_t offset) const {
    if (offset == 0) {
        return {};
    }
    return data_.subspan(offset + 4u, read16(data_.data() + offset + 2));
}

uint16_t Message::type() const {
    return read16(data_.data());
}

Method Message::method() const {
    const uint16_t t = type();
    return static_cast<Method>((t & 0x000F) | ((t & 0x00E0) >> 1) | ((t & 0x3E00) >> 2));
}

Class Message::message_class() const {
    const uint16_t t = type();
    return static_cast<Class>(((t & 0x0100) >> 7) | ((t & 0x0010) >> 4));
}

std::span<const uint8_t, kTransactionIdSize> Message::transaction_id() const {
    return data_.subspan<8, kTransactionIdSize>();
}

std::optional<std::string_view> Message::username() const {
    if (usernameAt_ == 0) {
        return std::nullopt;
    }
    const auto v = value(usernameAt_);
    return std::string_view(reinterpret_cast<const char*>(v.data()), v.size());
}

std::optional<uint32_t> Message::priority() const {
    if (priorityAt_ == 0) {
        return std::nullopt;
    }
    return read32(value(priorityAt_).data());
}

std::optional<uint64_t> Message::ice_controlling() const {
    if (controllingAt_ == 0) {
        return std::nullopt;
    }
    return read64(value(controllingAt_).data());
}

std::optional<uint64_t> Message::ice_controlled() const {
    if (controlledAt_ == 0) {
        return std::nullopt;
    }
    return read64(value(controlledAt_).data());
}

std::optional<ErrorCode> Message::error_code() const {
    if (errorCodeAt_ == 0) {
        return std::nullopt;
    }
    const auto v = value(errorCodeAt_);
    const unsigned hundreds = v[2] & 0x07;
    const unsigned units = v[3];
    if (hundreds < 3 || hundreds > 6 || units > 99) {
        return std::nullopt;
    }
    return ErrorCode{static_cast<uint16_t>(hundreds * 100 + units),
                     std::string_view(reinterpret_cast<const char*>(v.data() + 4), v.size() - 4)};
}

std::optional<sockaddr_storage> Message::xor_mapped_address() const {
    if (xorMappedAt_ == 0) {
        return std::nullopt;
    }
    const auto v = value(xorMappedAt_);
    sockaddr_storage storage{};
    const auto port = static_cast<uint16_t>(read16(v.data() + 2) ^ (kMagicCookie >> 16));
    if (v[1] == 0x01 && v.size() == 8) {
        sockaddr_in in{};
        in.sin_family = AF_INET;
        in.sin_port = htons(port);
        in.sin_addr.s_addr = htonl(read32(v.data() + 4) ^ kMagicCookie);
        std::memcpy(&storage, &in, sizeof in);
        return storage;
    }
    if (v[1] == 0x02 && v.size() == 20) {
        sockaddr_in6 in6{};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(port);
        // The address is xored with the magic cookie followed by the transaction id, which are
        // exactly the header bytes 4..19.
        for (size_t i = 0; i < 16; ++i) {
            in6.sin6_addr.s6_addr[i] = static_cast<uint8_t>(v[4 + i] ^ data_[4 + i]);
        }
        std::memcpy(&storage, &in6, sizeof in6);
        return storage;
    }
    return std::nullopt;
}

bool Message::check_message_integrity(std::string_view key) const {
    if (integrityAt_ == 0) {
        return false;
    }
    std::array<uint8_t, 4> head{};
    std::memcpy(head.data(), data_.data(), 2);
    rtp::write16(head.data() + 2,
                 static_cast<uint16_t>(integrityAt_ + 4 + kMessageIntegritySize - kHeaderSize));
    std::array<uint8_t, HmacSha1::kSize> mac{};
    if (!HmacSha1::compute(key, {head, data_.subspan(4, integrityAt_ - 4u)}, mac)) {
        return false;
    }
    return CRYPTO_memcmp(mac.data(), data_.data() + integrityAt_ + 4, mac.size()) == 0;
}

bool Message::check_fingerprint() const {
    if (fingerprintAt_ == 0) {
        return false;
    }
    const uint32_t expected = Crc32::compute(data_.first(fingerprintAt_)) ^ kFingerprintXor;
    return read32(data_.data() + fingerprintAt_ + 4) == expected;
}

}  // namespace vg::rtc::stun
