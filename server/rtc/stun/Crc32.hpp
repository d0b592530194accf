#pragma once
#include <cstdint>
#include <span>

namespace vg::rtc::stun {

// CRC-32 as in ISO 3309 / ITU-T V.42 (the one FINGERPRINT uses, before its xor).
class Crc32 {
  public:
    static uint32_t compute(std::span<const uint8_t> data);
};

}  // namespace vg::rtc::stun
