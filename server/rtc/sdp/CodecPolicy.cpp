#include "rtc/sdp/CodecPolicy.hpp"

#include <algorithm>
#include <cctype>

namespace vg::rtc::sdp {

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

bool CodecPolicy::supports(const Codec& codec, std::string_view kind) {
    if (kind == "audio") {
        return equals_ignoring_case(codec.name, "opus") && codec.clock_rate == 48000 &&
               codec.channels == 2;
    }
    if (kind != "video" || codec.clock_rate != 90000) {
        return false;
    }
    if (equals_ignoring_case(codec.name, "VP8")) {
        return true;
    }
    if (equals_ignoring_case(codec.name, "VP9")) {
        const auto profile = codec.parameter("profile-id");
        return !profile || *profile == "0";
    }
    if (equals_ignoring_case(codec.name, "AV1")) {
        const auto profile = codec.parameter("profile");
        return !profile || *profile == "0";
    }
    if (equals_ignoring_case(codec.name, "H264")) {
        const auto mode = codec.parameter("packetization-mode");
        const auto level = codec.parameter("profile-level-id");
        return mode && *mode == "1" && level &&
               (equals_ignoring_case(*level, "42e01f") || equals_ignoring_case(*level, "42001f"));
    }
    return false;
}

std::vector<Codec> CodecPolicy::supported_codecs(const MediaSection& offered) {
    std::vector<Codec> kept;
    for (const auto& codec : offered.codecs) {
        if (supports(codec, offered.kind)) {
            kept.push_back(codec);
        }
    }
    std::vector<Codec> result;
    for (const auto& codec : offered.codecs) {
        bool keep = supports(codec, offered.kind);
        if (!keep && equals_ignoring_case(codec.name, "rtx")) {
            const auto apt = codec.associated_payload_type();
            keep = apt && std::any_of(kept.begin(), kept.end(),
                                      [&](const Codec& c) { return c.payload_type == *apt; });
        }
        if (!keep) {
            continue;
        }
        Codec answered = codec;
        std::erase_if(answered.feedback,
                      [](const std::string& feedback) { return !supports_feedback(feedback); });
        result.push_back(std::move(answered));
    }
    return result;
}

bool CodecPolicy::supports_extension(std::string_view uri, std::string_view kind) {
    if (uri == uri::kAudioLevel) {
        return kind == "audio";
    }
    return uri == uri::kMid || uri == uri::kAbsSendTime || uri == uri::kTransportWideCc;
}

bool CodecPolicy::supports_feedback(std::string_view feedback) {
    return feedback == "nack" || feedback == "nack pli" || feedback == "ccm fir" ||
           feedback == "goog-remb" || feedback == "transport-cc";
}

}  // namespace vg::rtc::sdp
