#pragma once
// Writes a session description as text, lines ending in CRLF, in the order browsers write
// theirs: session level, then per media section its transport, mid, extensions, direction,
// codecs with their feedback and parameters, SSRC groups and SSRCs.
#include <string>

#include "rtc/sdp/SessionDescription.hpp"

namespace vg::rtc::sdp {

class SessionDescriptionWriter {
  public:
    static std::string write(const SessionDescription& description);
};

}  // namespace vg::rtc::sdp
