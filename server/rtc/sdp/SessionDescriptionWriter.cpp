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
    line("o=- ", std::to_string(description.session_id),
         " " + std::to_string(description.session_version), " IN IP4 127.0.0.1");
    line("s=-");
    line("t=0 0");
    if (description.ice_lite) {
        line("a=ice-lite");
    }
    if (!description.bundle.empty()) {
        std::string group = "a=group:BUNDLE";
        for (const auto& mid : description.bundle) {
            group.append(" ").append(mid);
        }
        line(group);
    }
    if (!description.ice_ufrag.empty()) {
        line("a=ice-ufrag:", description.ice_ufrag);
    }
    if (!description.ice_pwd.empty()) {
        line("a=ice-pwd:", description.ice_pwd);
    }
    if (!description.fingerprint.empty()) {
        line("a=fingerprint:", description.fingerprint_algorithm, " ", description.fingerprint);
    }
    if (description.setup != Setup::None) {
        line("a=setup:", sdp::to_string(description.setup));
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
        if (m.end_of_candidates) {
            line("a=end-of-candidates");
        }
        if (!m.ice_ufrag.empty()) {
            line("a=ice-ufrag:", m.ice_ufrag);
        }
        if (!m.ice_pwd.empty()) {
            line("a=ice-pwd:", m.ice_pwd);
        }
        if (!m.fingerprint.empty()) {
            line("a=fingerprint:", m.fingerprint_algorithm, " ", m.fingerprint);
        }
        if (m.setup != Setup::None) {
            line("a=setup:", sdp::to_string(m.setup));
        }
        if (!m.mid.empty()) {
            line("a=mid:", m.mid);
        }
        if (m.is_data_channel()) {
            if (m.sctp_port != 0) {
                line("a=sctp-port:", std::to_string(m.sctp_port));
            }
            if (m.max_message_size != 0) {
                line("a=max-message-size:", std::to_string(m.max_message_size));
            }
            continue;
        }
        for (const auto& e : m.extensions) {
            line("a=extmap:", std::to_string(e.id), " ", e.uri);
        }
        line("a=", sdp::to_string(m.direction));
        if (!m.msid.empty()) {
            line("a=msid:", m.msid);
        }
        if (m.rtcp_mux) {
            line("a=rtcp-mux");
        }
        if (m.rtcp_reduced_size) {
            line("a=rtcp-rsize");
        }
        for (const auto& c : m.codecs) {
            const auto pt = std::to_string(c.payload_type);
            std::string encoding = c.name + "/" + std::to_string(c.clock_rate);
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
        for (const auto& group : m.ssrc_groups) {
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
