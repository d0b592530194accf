#pragma once
// What the SFU forwards: the codecs, header extensions and RTCP feedback it can negotiate.
// It never decodes, so every receiver must be able to take what a sender sends: only
// widely decodable profiles are accepted.
#include <string>
#include <string_view>
#include <vector>

#include "rtc/sdp/SessionDescription.hpp"

namespace vg::rtc::sdp {

namespace uri {
inline constexpr std::string_view kMid = "urn:ietf:params:rtp-hdrext:sdes:mid";
inline constexpr std::string_view kAbsSendTime =
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
inline constexpr std::string_view kTransportWideCc =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
inline constexpr std::string_view kAudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
}  // namespace uri

class CodecPolicy {
  public:
    // Opus 48000/2; VP8; VP9 profile 0; AV1 profile 0; H264 with packetization-mode=1 and
    // profile-level-id 42e01f or 42001f. RTX is judged by supported_codecs().
    static bool supports(const Codec& codec, std::string_view kind);
    // The offered codecs we accept, in the offer's order, each followed by nothing else: RTX
    // entries are kept when the codec they repair is kept. Feedback is filtered.
    static std::vector<Codec> supported_codecs(const MediaSection& offered);
    static bool supports_extension(std::string_view uri, std::string_view kind);
    static bool supports_feedback(std::string_view feedback);
};

}  // namespace vg::rtc::sdp
