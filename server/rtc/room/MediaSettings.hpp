#pragma once
// What one participant negotiated, as the forwarding path needs it: per media section, the
// codecs and payload types, the header extension ids, the SSRC we send it on. Filled from the
// SDP offer/answer by the MediaEngine; plain data, no SDP text here.
#include <cstdint>
#include <string>
#include <vector>

namespace vg::rtc::room {

enum class MediaKind { Audio, Video };

struct CodecSetting {
    std::string name;  // "opus", "VP8", "H264" (compared without case)
    std::uint32_t clock_rate = 0;
    std::uint8_t payload_type = 0;
    // Distinguishes H264 profiles: an H264 stream goes only to a receiver with the same value.
    std::string profile_level_id;
    // For RTX (RFC 4588): the payload type it repairs; -1 for other codecs.
    int associated_payload_type = -1;
};

struct ExtensionSetting {
    std::string uri;  // "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
    std::uint8_t id = 0;
};

struct MediaSection {
    MediaKind kind = MediaKind::Audio;
    std::string mid;
    std::vector<CodecSetting> codecs;
    std::vector<ExtensionSetting> extensions;
    bool sends = true;             // the participant sends on it (sendrecv/sendonly)
    bool receives = true;          // the participant receives on it (sendrecv/recvonly)
    std::uint32_t local_ssrc = 0;  // the SSRC we send to the participant on this section
    // Our RTX SSRC (RFC 4588) paired with local_ssrc: we answer the participant's NACKs on it.
    // 0 when it negotiated no RTX here: its NACKs then get no answer from us.
    std::uint32_t local_rtx_ssrc = 0;
};

struct MediaSettings {
    std::vector<MediaSection> sections;
};

}  // namespace vg::rtc::room
