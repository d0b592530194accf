#include "rtc/sdp/OutgoingStream.hpp"

namespace vg::rtc::sdp {

void OutgoingStream::describe_in(MediaSection& section) const {
    const std::string msid = stream_id + " " + track_id;
    section.msid = msid;
    section.ssrcs.push_back(SsrcInfo{ssrc, cname, msid});
    if (rtx_ssrc != 0) {
        section.ssrc_groups.push_back(SsrcGroup{"FID", {ssrc, rtx_ssrc}});
        section.ssrcs.push_back(SsrcInfo{rtx_ssrc, cname, msid});
    }
}

}  // namespace vg::rtc::sdp
