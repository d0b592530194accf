#pragma once
// Checks of the shapes of values that arrive from outside, shared by the API and signaling.
#include <string_view>

namespace vg::domain {

class Validation {
  public:
    // Canonical textual UUID: 8-4-4-4-12 hex digits (either case).
    static bool is_uuid(std::string_view text);
    // Well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
    static bool is_utf8(std::string_view text);
    // A printable single-line text: UTF-8 without control characters.
    static bool is_single_line(std::string_view text);
    // ISO 639 code in lower case, 2 or 3 letters ("fr", "en").
    static bool is_language(std::string_view text);
    // A plausible address: one '@', something on both sides, no spaces, <= 254 bytes.
    static bool is_email(std::string_view text);
    // Characters counted as Unicode code points (for length limits); assumes valid UTF-8.
    static std::size_t code_points(std::string_view text);
};

}  // namespace vg::domain
