#include "rtc/sdp/SessionDescriptionWriter.hpp"

namespace vg::rtc::sdp {

std::string SessionDescriptionWriter::write(const SessionDescription& description) {
    std::string out;
    out.reserve(4096);
    auto line = [&out](std::string_view a, std::string_view b = {}, std::string_view c = {},
                       std::string_view d = {}) {
        out.append(a).append(b).append(c).append(d).append("\r\n");
    };
    line("v=0");
    line("o=- ", std::to_string(description.sessionId),
         " " + std::to_string(description.sessionVersion), " IN IP4 127.0.0.1");
    line("s=-");
    line("t=0 0");
    if (description.iceLite) {
        line("a=ice-lite");
    }
    if (!description.bundle.empty()) {
        std::string group = "a=group:BUNDLE";
        for (const auto& mid : description.bundle) {
            group.append(" ").append(mid);
        }
        line(group);
    }
    if (!description.iceUfrag.empty()) {
        line("a=ice-ufrag:", description.iceUfrag);
    }
    if (!description.icePwd.empty()) {
        line("a=ice-pwd:", description.icePwd);
    }
    if (!description.fingerprint.empty()) {
        line("a=fingerprint:", description.fingerprintAlgorithm, " ", description.fingerprint);
    }
    if (description.setup != Setup::None) {
        line("a=setup:", sdp::toString(description.setup));
    }
    for (const auto& m : description.media) {
        std::string mline = "m=" + m.kind + " " + std::to_string(m.port) + " " + m.protocol;
        for (const auto& format : m.formats) {
            mline.append(" ").append(format);
        }
        line(mline);
        line("c=", m.connection);
        for (const auto& candidate : m.candidates) {
            line("a=candidate:", candidate);
        }
        if (m.endOfCandidates) {
            line("a=end-of-candidates");
        }
        if (!m.iceUfrag.empty()) {
            line("a=ice-ufrag:", m.iceUfrag);
        }
        if (!m.icePwd.empty()) {
            line("a=ice-pwd:", m.icePwd);
        }
        if (!m.fingerprint.empty()) {
            line("a=fingerprint:", m.fingerprintAlgorithm, " ", m.fingerprint);
        }
        if (m.setup != Setup::None) {
            line("a=setup:", sdp::toString(m.setup));
        }
        if (!m.mid.empty()) {
            line("a=mid:", m.mid);
        }
        if (m.isDataChannel()) {
            if (m.sctpPort != 0) {
                line("a=sctp-port:", std::to_string(m.sctpPort));
            }
            if (m.maxMessageSize != 0) {
                line("a=max-message-size:", std::to_string(m.maxMessageSize));
            }
            continue;
        }
        for (const auto& e : m.extensions) {
            line("a=extmap:", std::to_string(e.id), " ", e.uri);
        }
        line("a=", sdp::toString(m.direction));
        if (!m.msid.empty()) {
            line("a=msid:", m.msid);
        }
        if (m.rtcpMux) {
            line("a=rtcp-mux");
        }
        if (m.rtcpReducedSize) {
            line("a=rtcp-rsize");
        }
        for (const auto& c : m.codecs) {
            const auto pt = std::to_string(c.payloadType);
            std::string encoding = c.name + "/" + std::to_string(c.clockRate);
            if (c.channels != 0) {
                encoding += "/" + std::to_string(c.channels);
            }
            line("a=rtpmap:", pt, " ", encoding);
            for (const auto& feedback : c.feedback) {
                line("a=rtcp-fb:", pt, " ", feedback);
            }
            if (!c.fmtp.empty()) {
                line("a=fmtp:", pt, " ", c.fmtp);
            }
        }
        for (const auto& group : m.ssrcGroups) {
            std::string text = "a=ssrc-group:" + group.semantics;
            for (const auto ssrc : group.ssrcs) {
                text.append(" ").append(std::to_string(ssrc));
            }
            line(text);
        }
        for (const auto& s : m.ssrcs) {
            const auto ssrc = std::to_string(s.ssrc);
            if (!s.cname.empty()) {
                line("a=ssrc:", ssrc, " cname:", s.cname);
            }
            if (!s.msid.empty()) {
                line("a=ssrc:", ssrc, " msid:", s.msid);
            }
        }
    }
    return out;
}

}  // namespace vg::rtc::sdp
