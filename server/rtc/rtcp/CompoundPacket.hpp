#pragma once
// Walks the packets of an RTCP compound packet (RFC 3550 6.1; reduced-size RFC 5506 allowed)
// and rewrites media-source SSRCs across all of them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rtc/rtcp/Packet.hpp"

namespace vg::rtc::rtcp {

class CompoundPacket {
  public:
    explicit CompoundPacket(std::span<uint8_t> data) : rest_(data) {}

    // True when data is a non-empty sequence of well-framed RTCP packets.
    static bool validate(std::span<uint8_t> data);

    // The next packet; std::nullopt at the end or at malformed bytes (then malformed() is true).
    std::optional<Packet> next();
    bool malformed() const { return malformed_; }

    // Replaces every SSRC that names a media source (report blocks of SR/RR, the media SSRC of
    // RTPFB/PSFB, FIR entries, REMB's list) by map(ssrc), in place, so a receiver's reports
    // and feedback reach the sender in the sender's own SSRCs. Zero SSRCs stay zero. Returns
    // false when the bytes are empty or malformed (packets before the fault are already rewritten).
    using SsrcMap = uint32_t (*)(void* context, uint32_t ssrc);
    static bool rewrite_media_ssrcs(std::span<uint8_t> data, SsrcMap map, void* context);

    template <typename F>
    static bool rewrite_media_ssrcs(std::span<uint8_t> data, F& map) {
        return rewrite_media_ssrcs(
            data, [](void* c, uint32_t ssrc) { return (*static_cast<F*>(c))(ssrc); }, &map);
    }

  private:
    std::span<uint8_t> rest_;
    bool malformed_ = false;
};

}  // namespace vg::rtc::rtcp
