#pragma once
// A WebRTC session description (RFC 8866 syntax, unified plan as JSEP / RFC 8829 uses it):
// what we read from a browser's offer or answer and what we write in ours. Control plane only:
// it owns strings and vectors. parse() never throws; text that cannot be a session description
// gives std::nullopt and, when asked, the reason.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vg::rtc::sdp {

enum class Direction { SendRecv, SendOnly, RecvOnly, Inactive };
enum class Setup { None, ActPass, Active, Passive };

std::string_view to_string(Direction direction);
std::string_view to_string(Setup setup);

struct Codec {
    uint8_t payload_type = 0;
    std::string name;  // as written: "opus", "VP8", "H264", "rtx"
    uint32_t clock_rate = 0;
    uint8_t channels = 0;               // 0 when the rtpmap gives none
    std::string fmtp;                   // "" when there is no a=fmtp
    std::vector<std::string> feedback;  // a=rtcp-fb values: "nack", "nack pli", "transport-cc"

    // The value of key in the fmtp ("minptime=10;useinbandfec=1"), std::nullopt when absent.
    std::optional<std::string_view> parameter(std::string_view key) const;
    // For RTX: the payload type it repairs (fmtp apt=).
    std::optional<uint8_t> associated_payload_type() const;
};

struct HeaderExtension {
    uint8_t id = 0;
    std::string uri;
};

struct SsrcInfo {
    uint32_t ssrc = 0;
    std::string cname;
    std::string msid;  // "stream track", "" when absent
};

struct SsrcGroup {
    std::string semantics;  // "FID" pairs a media SSRC with its RTX SSRC
    std::vector<uint32_t> ssrcs;
};

struct MediaSection {
    std::string kind;  // "audio", "video", "application"
    uint16_t port = 9;
    std::string protocol;              // "UDP/TLS/RTP/SAVPF", "UDP/DTLS/SCTP"
    std::vector<std::string> formats;  // m-line formats: payload types or "webrtc-datachannel"
    std::string connection = "IN IP4 0.0.0.0";
    std::string mid;
    Direction direction = Direction::SendRecv;
    // Transport attributes; parse() copies session-level values into sections lacking them.
    std::string ice_ufrag;
    std::string ice_pwd;
    std::string fingerprint_algorithm;  // lower case: "sha-256"
    std::string fingerprint;            // upper-case hex pairs separated by ':'
    Setup setup = Setup::None;
    bool rtcp_mux = false;
    bool rtcp_reduced_size = false;
    std::vector<Codec> codecs;  // in the m-line's order
    std::vector<HeaderExtension> extensions;
    std::vector<SsrcInfo> ssrcs;
    std::vector<SsrcGroup> ssrc_groups;
    std::string msid;  // a=msid "stream track"
    uint16_t sctp_port = 0;
    uint32_t max_message_size = 0;
    std::vector<std::string> candidates;  // a=candidate values, without "candidate:" prefix
    bool end_of_candidates = false;
    // a=bundle-only (RFC 8843 7.3.1): port 0 in an offer then means "only inside the BUNDLE
    // group", not rejected (Firefox writes its sections after the first this way).
    bool bundle_only = false;

    bool rejected() const { return port == 0 && !bundle_only; }
    bool is_rtp() const { return kind == "audio" || kind == "video"; }
    bool is_data_channel() const { return kind == "application"; }
    const Codec* codec(uint8_t payload_type) const;
    const HeaderExtension* extension(std::string_view uri) const;
};

struct SessionDescription {
    static constexpr size_t kMaxSize = size_t{64} * 1024;
    static constexpr size_t kMaxMediaSections = 64;

    uint64_t session_id = 0;
    uint64_t session_version = 0;
    std::vector<std::string> bundle;  // mids of a=group:BUNDLE, the tag first
    bool ice_lite = false;
    // Session-level transport attributes as written (media sections already inherit them).
    std::string ice_ufrag;
    std::string ice_pwd;
    std::string fingerprint_algorithm;
    std::string fingerprint;
    Setup setup = Setup::None;
    std::vector<MediaSection> media;

    static std::optional<SessionDescription> parse(std::string_view text,
                                                   std::string* error = nullptr);
    // The text, lines ending in CRLF.
    std::string to_string() const;

    const MediaSection* section(std::string_view mid) const;
};

}  // namespace vg::rtc::sdp
