#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "rtc/rtcp/Packet.hpp"

namespace vg::rtc::rtcp {

struct SdesItem {
    uint32_t ssrc = 0;
    uint8_t type = 0;  // 1 CNAME, 2 NAME, ... (RFC 3550 6.5)
    std::string_view text;
};

// SDES (RFC 3550 6.5): parse() checks every chunk and item is in bounds; then items can be
// read one by one without further checks.
class Sdes {
  public:
    static constexpr uint8_t kCname = 1;

    static std::optional<Sdes> parse(const Packet& packet);

    size_t chunk_count() const { return chunks_; }
    // Calls f(const SdesItem&) for each item of each chunk, in order.
    template <typename F>
    void for_each_item(F&& f) const {
        walk(body_, chunks_, [&](const SdesItem& item) { f(item); });
    }

  private:
    Sdes(std::span<const uint8_t> body, size_t chunks) : body_(body), chunks_(chunks) {}

    // The one walker, used both to validate (returns false on bad framing) and to read.
    template <typename F>
    static bool walk(std::span<const uint8_t> body, size_t chunks, F&& f) {
        size_t at = 0;
        for (size_t c = 0; c < chunks; ++c) {
            if (body.size() - at < 4) {
                return false;
            }
            const uint32_t ssrc = (static_cast<uint32_t>(body[at]) << 24) |
                                  (static_cast<uint32_t>(body[at + 1]) << 16) |
                                  (static_cast<uint32_t>(body[at + 2]) << 8) | body[at + 3];
            at += 4;
            while (true) {
                if (at >= body.size()) {
                    return false;
                }
                const uint8_t type = body[at];
                if (type == 0) {
                    at = (at + 4) & ~size_t{3};  // end of list, then pad to a word
                    break;
                }
                if (body.size() - at < 2 || body.size() - at - 2 < body[at + 1]) {
                    return false;
                }
                const size_t length = body[at + 1];
                f(SdesItem{
                    ssrc, type,
                    std::string_view(reinterpret_cast<const char*>(body.data() + at + 2), length)});
                at += 2 + length;
            }
            if (at > body.size()) {
                return false;
            }
        }
        return true;
    }

    std::span<const uint8_t> body_;
    size_t chunks_;
};

}  // namespace vg::rtc::rtcp
