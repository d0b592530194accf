#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "rtc/rtcp/Packet.hpp"

namespace vg::rtc::rtcp {

// BYE (RFC 3550 6.6).
class Bye {
  public:
    static std::optional<Bye> parse(const Packet& packet);

    size_t ssrc_count() const { return count_; }
    uint32_t ssrc(size_t index) const;  // index < ssrc_count()
    std::string_view reason() const { return reason_; }

  private:
    Bye(std::span<const uint8_t> body, size_t count, std::string_view reason)
        : body_(body), count_(count), reason_(reason) {}

    std::span<const uint8_t> body_;
    size_t count_;
    std::string_view reason_;
};

}  // namespace vg::rtc::rtcp
