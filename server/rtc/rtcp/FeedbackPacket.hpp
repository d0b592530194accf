#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rtc/rtcp/Packet.hpp"

namespace vg::rtc::rtcp {

// The common part of RTPFB and PSFB (RFC 4585 6.1): sender SSRC, media source SSRC and the
// feedback control information. PLI is exactly this with FMT 1 and no FCI.
class FeedbackPacket {
  public:
    static constexpr size_t kCommonSize = 8;

    static std::optional<FeedbackPacket> parse(const Packet& packet);

    PacketType type() const { return type_; }
    uint8_t fmt() const { return fmt_; }
    bool is_pli() const { return type_ == PacketType::PayloadFeedback && fmt_ == fmt::kPli; }
    uint32_t sender_ssrc() const;
    uint32_t media_ssrc() const;
    void set_media_ssrc(uint32_t ssrc);
    std::span<uint8_t> fci() const { return body_.subspan(kCommonSize); }

  private:
    FeedbackPacket(std::span<uint8_t> body, PacketType type, uint8_t fmt)
        : body_(body), type_(type), fmt_(fmt) {}

    std::span<uint8_t> body_;
    PacketType type_;
    uint8_t fmt_;
};

}  // namespace vg::rtc::rtcp
