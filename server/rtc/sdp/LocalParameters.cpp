#include "rtc/sdp/LocalParameters.hpp"

namespace vg::rtc::sdp {

void LocalParameters::apply_to(MediaSection& section, Setup setup, bool with_candidates) const {
    const bool v6 = candidate_ip.find(':') != std::string::npos;
    section.port = candidate_port;
    section.connection = std::string(v6 ? "IN IP6 " : "IN IP4 ") + candidate_ip;
    section.ice_ufrag = ice_ufrag;
    section.ice_pwd = ice_pwd;
    section.fingerprint_algorithm = "sha-256";
    section.fingerprint = fingerprint_sha256;
    section.setup = setup;
    section.candidates.clear();
    section.end_of_candidates = false;
    if (!with_candidates) {
        return;
    }
    // Host candidates (RFC 8445 5.1.2.1): type preference 126, UDP before TCP.
    const std::string port = std::to_string(candidate_port);
    section.candidates.push_back("1 1 udp 2130706431 " + candidate_ip + " " + port + " typ host");
    if (tcp_candidate) {
        section.candidates.push_back("2 1 tcp 2113937151 " + candidate_ip + " " + port +
                                     " typ host tcptype passive");
    }
    // ICE-lite knows all its candidates up front.
    section.end_of_candidates = true;
}

}  // namespace vg::rtc::sdp
