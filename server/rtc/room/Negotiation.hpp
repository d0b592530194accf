#pragma once
// One participant's side of the session description after its first offer: the server offers
// (JSEP 5.2.2) whenever the tracks it should receive change, one offer in flight at a time, and
// reads the browser's answer into the settings the forwarding path uses. Control work on the
// worker's thread, never per packet. Same ICE credentials, DTLS fingerprint and role, same
// BUNDLE transport as the first answer: a re-offer never restarts ICE. The browser offers again
// only to restart ICE (its network changed): then our credentials change too, never the DTLS
// fingerprint or role, so DTLS and SRTP carry on.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rtc/ice/IceLiteAgent.hpp"
#include "rtc/room/MediaSettings.hpp"
#include "rtc/sdp/LocalParameters.hpp"
#include "rtc/sdp/OutgoingStream.hpp"
#include "rtc/sdp/SessionDescription.hpp"

namespace vg::rtc::room {

class Negotiation {
  public:
    using Clock = std::chrono::steady_clock;
    // A browser that has not answered by then is out of step with us: its participant ends
    // (a client joins again afresh).
    static constexpr auto answer_timeout = std::chrono::seconds(15);

    // local: what our descriptions carry; offer: the browser's first offer; answer: ours to it.
    Negotiation(sdp::LocalParameters local, const sdp::SessionDescription& offer,
                sdp::SessionDescription answer);

    // What the forwarding path needs from a negotiated description: ours (an answer, or an
    // offer) and, for our offer, the browser's answer to it. One section per audio or video
    // m-line, rejected ones included, in m-line order, so that indexes stay valid as sections
    // are added.
    static MediaSettings settings(const sdp::SessionDescription& ours,
                                  const sdp::SessionDescription* their_answer = nullptr);

    // False until the first answer reached the browser: no offer may overtake it.
    bool open = false;
    bool pending() const { return pending_.has_value(); }
    bool overdue(Clock::time_point now) const {
        return pending_ && now - offered_at_ > answer_timeout;
    }
    // Whether we send on this mid in the description both sides hold.
    bool sending(std::string_view mid) const;
    // A mid used by no section yet, nor given out before.
    std::string new_mid();

    // Our next offer: the sections we have, sending exactly these streams (a section whose
    // stream is gone goes inactive or recvonly, a new mid gets a new sendonly section). Refused
    // while an offer is pending.
    std::optional<std::string> offer(std::span<const sdp::OutgoingStream> streams,
                                     std::string* error);
    // The browser's answer to the pending offer: the settings that now hold. Refused (with the
    // reason, and nothing changes) when no offer is pending, or when the answer does not fit
    // the offer: other sections, codecs or extension ids we did not offer, another ICE
    // ufrag/password or fingerprint, another DTLS role.
    std::optional<MediaSettings> accept(std::string_view answer_sdp, std::string* error);

    // The browser's offer after the first: an ICE restart (RFC 8445 section 9, JSEP 5.8) is all
    // it may change. Same sections (mids, kinds) as the description both sides hold, same
    // fingerprint, new ICE ufrag or password. Our answer is that description again with our new
    // credentials `local` (kept for later offers) and our DTLS role; the browser's new
    // credentials go to `remote`. Refused (with the reason, nothing changes) before the first
    // answer went out, while our own offer waits for its answer (ours came first: the browser
    // answers it, then offers again), or when the offer changes anything else.
    std::optional<std::string> restart_ice(std::string_view offer_sdp, ice::Credentials local,
                                           ice::Credentials& remote, std::string* error);

  private:
    sdp::LocalParameters local_;
    std::string remote_ufrag_;
    std::string remote_pwd_;
    std::string remote_fingerprint_;
    sdp::Setup remote_setup_;          // what the browser's answers must say
    sdp::SessionDescription current_;  // our description that the browser accepted last
    std::optional<sdp::SessionDescription> pending_;
    Clock::time_point offered_at_{};
    unsigned next_mid_;
};

}  // namespace vg::rtc::room
