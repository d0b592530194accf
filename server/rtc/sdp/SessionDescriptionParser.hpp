#pragma once
// Reads a session description (RFC 8866 syntax) line by line: the session level, then each
// media section, whose transport attributes default to the session's. Never throws: text that
// cannot be a session description gives std::nullopt and the reason. Bounded by
// SessionDescription::kMaxSize and kMaxMediaSections.
#include <optional>
#include <string>
#include <string_view>

#include "rtc/sdp/SessionDescription.hpp"

namespace vg::rtc::sdp {

class SessionDescriptionParser {
  public:
    static std::optional<SessionDescription> parse(std::string_view text, std::string& error);
};

}  // namespace vg::rtc::sdp
