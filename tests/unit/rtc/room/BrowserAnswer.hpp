#pragma once
// Test helper: what a browser answers to one of our offers, accepting every section as offered
// with the directions mirrored and its own transport (ICE credentials, fingerprint, DTLS client).
#include <string>

#include "rtc/sdp/SessionDescription.hpp"

namespace vg::rtc::test {

inline sdp::SessionDescription browser_answer(const sdp::SessionDescription& offer,
                                              const std::string& ufrag, const std::string& pwd,
                                              const std::string& fingerprint) {
    sdp::SessionDescription answer;
    answer.session_id = 4242;
    answer.session_version = offer.session_version;
    answer.bundle = offer.bundle;
    for (auto section : offer.media) {
        section.ice_ufrag = ufrag;
        section.ice_pwd = pwd;
        section.fingerprint_algorithm = "sha-256";
        section.fingerprint = fingerprint;
        section.setup = sdp::Setup::Active;
        section.candidates.clear();
        section.end_of_candidates = false;
        section.ssrcs.clear();
        section.ssrc_groups.clear();
        section.msid.clear();
        if (section.direction == sdp::Direction::SendOnly)
            section.direction = sdp::Direction::RecvOnly;
        else if (section.direction == sdp::Direction::RecvOnly)
            section.direction = sdp::Direction::SendOnly;
        answer.media.push_back(std::move(section));
    }
    return answer;
}

}  // namespace vg::rtc::test
