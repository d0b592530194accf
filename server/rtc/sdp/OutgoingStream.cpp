#include "rtc/sdp/OutgoingStream.hpp"

namespace vg::rtc::sdp {

void OutgoingStream::describeIn(MediaSection& section) const {
    const std::string msid = streamId + " " + trackId;
    section.msid = msid;
    section.ssrcs.push_back(SsrcInfo{ssrc, cname, msid});
    if (rtxSsrc != 0) {
        section.ssrcGroups.push_back(SsrcGroup{"FID", {ssrc, rtxSsrc}});
        section.ssrcs.push_back(SsrcInfo{rtxSsrc, cname, msid});
    }
}

}  // namespace vg::rtc::sdp
