#pragma once
// What the media engine reports to the control plane, called on a media worker's thread. The
// workers report straight to it: post to your own executor and return quickly.
#include <cstdint>
#include <string>
#include <string_view>

#include "rtc/QualitySummary.hpp"

namespace vg::rtc {

class MediaListener {
  public:
    virtual ~MediaListener() = default;
    // ICE and DTLS are done: media flows.
    virtual void on_participant_connected(std::uint64_t participant_id) = 0;
    // The participant is gone and everything it held released: after remove_participant,
    // DTLS failure or a wrong fingerprint, consent_timeout (30 s) without an ICE check, or a
    // server offer left unanswered for 15 s (reason says which).
    virtual void on_participant_closed(std::uint64_t participant_id, std::string_view reason) = 0;
    // The participant's remote tracks changed: send this offer to its browser and bring its
    // answer to accept_answer. Never before the participant's JoinCallback ran.
    virtual void on_offer(std::uint64_t participant_id, std::string sdp) = 0;
    // Just before on_participant_closed (except when the engine stops): the participant's
    // final statistics, for the call session's quality summary.
    virtual void on_participant_quality(const QualitySummary&) {}
};

}  // namespace vg::rtc
