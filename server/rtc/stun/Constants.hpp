#pragma once
// STUN numbers (RFC 8489, ICE attributes from RFC 8445) used by the parser, the writer and ICE.
#include <cstddef>
#include <cstdint>

namespace vg::rtc::stun {

inline constexpr uint32_t kMagicCookie = 0x2112A442;
inline constexpr size_t kHeaderSize = 20;
inline constexpr size_t kTransactionIdSize = 12;
// ICE binding messages are a few hundred bytes; anything larger is not ours to handle.
inline constexpr size_t kMaxMessageSize = 2048;
inline constexpr size_t kMaxUsernameSize = 513;
inline constexpr size_t kMessageIntegritySize = 20;
inline constexpr uint32_t kFingerprintXor = 0x5354554e;

enum class Method : uint16_t { Binding = 0x001 };

enum class Class : uint8_t { Request = 0, Indication = 1, SuccessResponse = 2, ErrorResponse = 3 };

namespace attribute {
inline constexpr uint16_t kMappedAddress = 0x0001;
inline constexpr uint16_t kUsername = 0x0006;
inline constexpr uint16_t kMessageIntegrity = 0x0008;
inline constexpr uint16_t kErrorCode = 0x0009;
inline constexpr uint16_t kXorMappedAddress = 0x0020;
inline constexpr uint16_t kPriority = 0x0024;
inline constexpr uint16_t kUseCandidate = 0x0025;
inline constexpr uint16_t kSoftware = 0x8022;
inline constexpr uint16_t kFingerprint = 0x8028;
inline constexpr uint16_t kIceControlled = 0x8029;
inline constexpr uint16_t kIceControlling = 0x802A;
}  // namespace attribute

namespace error {
inline constexpr uint16_t kBadRequest = 400;
inline constexpr uint16_t kUnauthorized = 401;
inline constexpr uint16_t kRoleConflict = 487;
}  // namespace error

// The 14-bit message type field: method bits interleaved with the two class bits.
constexpr uint16_t message_type(Method method, Class cls) {
    const auto m = static_cast<uint16_t>(method);
    const auto c = static_cast<uint16_t>(cls);
    return static_cast<uint16_t>(((m & 0x0F80) << 2) | ((m & 0x0070) << 1) | (m & 0x000F) |
                                 ((c & 0x2) << 7) | ((c & 0x1) << 4));
}

}  // namespace vg::rtc::stun
