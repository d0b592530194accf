#pragma once
#include <cstdint>
#include <string>

#include "rtc/sdp/SessionDescription.hpp"

namespace vg::rtc::sdp {

// What the server puts in every description it writes: its ICE-lite credentials, its DTLS
// certificate's fingerprint and its one media address.
struct LocalParameters {
    std::string iceUfrag;
    std::string icePwd;
    std::string fingerprintSha256;  // "AB:CD:..." of our certificate
    std::string candidateIp;        // IPv4 or IPv6 literal
    uint16_t candidatePort = 0;
    bool tcpCandidate = false;    // also announce a passive TCP candidate on the same port
    uint64_t sessionId = 0;       // o= line: the same for every description of the call
    uint64_t sessionVersion = 1;  // o= line of an answer: one more for each new answer

    // Writes the transport attributes into a section; candidates only when asked (the first
    // section of the BUNDLE group carries them for all).
    void applyTo(MediaSection& section, Setup setup, bool withCandidates) const;
};

}  // namespace vg::rtc::sdp
