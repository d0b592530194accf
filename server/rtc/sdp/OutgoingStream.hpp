#pragma once
#include <cstdint>
#include <string>

#include "rtc/sdp/SessionDescription.hpp"

namespace vg::rtc::sdp {

// One track the server sends to a receiver: another participant's audio or video, under the
// SSRCs the server chose for this receiver.
struct OutgoingStream {
    std::string mid;       // the media section carrying it
    std::string kind;      // "audio" or "video"
    std::string streamId;  // msid stream: one per sending participant
    std::string trackId;   // msid track
    std::string cname;
    uint32_t ssrc = 0;
    uint32_t rtxSsrc = 0;  // 0: no RTX stream

    // Adds a=msid, the FID group and the a=ssrc lines of this stream to section.
    void describeIn(MediaSection& section) const;
};

}  // namespace vg::rtc::sdp
