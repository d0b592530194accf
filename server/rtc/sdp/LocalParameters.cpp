#include "rtc/sdp/LocalParameters.hpp"

namespace vg::rtc::sdp {

void LocalParameters::applyTo(MediaSection& section, Setup setup, bool withCandidates) const {
    const bool v6 = candidateIp.find(':') != std::string::npos;
    section.port = candidatePort;
    section.connection = std::string(v6 ? "IN IP6 " : "IN IP4 ") + candidateIp;
    section.iceUfrag = iceUfrag;
    section.icePwd = icePwd;
    section.fingerprintAlgorithm = "sha-256";
    section.fingerprint = fingerprintSha256;
    section.setup = setup;
    section.candidates.clear();
    section.endOfCandidates = false;
    if (!withCandidates) {
        return;
    }
    // Host candidates (RFC 8445 5.1.2.1): type preference 126, UDP before TCP.
    const std::string port = std::to_string(candidatePort);
    section.candidates.push_back("1 1 udp 2130706431 " + candidateIp + " " + port + " typ host");
    if (tcpCandidate) {
        section.candidates.push_back("2 1 tcp 2113937151 " + candidateIp + " " + port +
                                     " typ host tcptype passive");
    }
    // ICE-lite knows all its candidates up front.
    section.endOfCandidates = true;
}

}  // namespace vg::rtc::sdp
