#pragma once
#include <cstdint>
#include <string>

#include "rtc/sdp/SessionDescription.hpp"

namespace vg::rtc::sdp {

// One track the server sends to a receiver: another participant's audio or video, under the
// SSRCs the server chose for this receiver.
struct OutgoingStream {
    std::string mid;        // the media section carrying it
    std::string kind;       // "audio" or "video"
    std::string stream_id;  // msid stream: one per sending participant
    std::string track_id;   // msid track
    std::string cname;
    uint32_t ssrc = 0;
    uint32_t rtx_ssrc = 0;  // 0: no RTX stream

    // Adds a=msid, the FID group and the a=ssrc lines of this stream to section.
    void describe_in(MediaSection& section) const;
};

}  // namespace vg::rtc::sdp
