#pragma once
#include <cstdint>
#include <string>

#include "rtc/sdp/SessionDescription.hpp"

namespace vg::rtc::sdp {

// What the server puts in every description it writes: its ICE-lite credentials, its DTLS
// certificate's fingerprint and its one media address.
struct LocalParameters {
    std::string ice_ufrag;
    std::string ice_pwd;
    std::string fingerprint_sha256;  // "AB:CD:..." of our certificate
    std::string candidate_ip;        // IPv4 or IPv6 literal
    uint16_t candidate_port = 0;
    bool tcp_candidate = false;    // also announce a passive TCP candidate on the same port
    uint64_t session_id = 0;       // o= line: the same for every description of the call
    uint64_t session_version = 1;  // o= line of an answer: one more for each new answer

    // Writes the transport attributes into a section; candidates only when asked (the first
    // section of the BUNDLE group carries them for all).
    void apply_to(MediaSection& section, Setup setup, bool with_candidates) const;
};

}  // namespace vg::rtc::sdp
