#include "rtc/sdp/OfferBuilder.hpp"

#include <algorithm>

#include "rtc/sdp/CodecPolicy.hpp"

namespace vg::rtc::sdp {

namespace {

bool receives(Direction d) {
    return d == Direction::SendRecv || d == Direction::RecvOnly;
}

Direction direction(bool receiving, bool sending) {
    if (receiving) {
        return sending ? Direction::SendRecv : Direction::RecvOnly;
    }
    return sending ? Direction::SendOnly : Direction::Inactive;
}

// A new section's media parameters: those of the first negotiated section of the same kind.
MediaSection template_for(const SessionDescription& current, const std::string& kind) {
    MediaSection section;
    section.kind = kind;
    section.protocol = "UDP/TLS/RTP/SAVPF";
    for (const auto& m : current.media) {
        if (m.kind == kind && !m.rejected() && !m.codecs.empty()) {
            section.protocol = m.protocol;
            section.codecs = m.codecs;
            section.extensions = m.extensions;
            section.rtcp_reduced_size = m.rtcp_reduced_size;
            return section;
        }
    }
    const std::vector<std::string> feedback =
        kind == "audio"
            ? std::vector<std::string>{"transport-cc"}
            : std::vector<std::string>{"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"};
    if (kind == "audio") {
        section.codecs.push_back(
            Codec{111, "opus", 48000, 2, "minptime=10;useinbandfec=1", feedback});
    } else {
        section.codecs.push_back(Codec{96, "VP8", 90000, 0, "", feedback});
        section.codecs.push_back(Codec{97, "rtx", 90000, 0, "apt=96", {}});
    }
    // Header extensions keep the ids negotiated anywhere in the session.
    for (const auto& m : current.media) {
        for (const auto& e : m.extensions) {
            if (CodecPolicy::supports_extension(e.uri, kind) &&
                section.extension(e.uri) == nullptr) {
                section.extensions.push_back(e);
            }
        }
    }
    return section;
}

}  // namespace

std::optional<SessionDescription> OfferBuilder::build(const SessionDescription& current,
                                                      std::span<const OutgoingStream> streams,
                                                      std::string* error) const {
    for (const auto& stream : streams) {
        if (stream.mid.empty() || stream.ssrc == 0 ||
            (stream.kind != "audio" && stream.kind != "video")) {
            if (error != nullptr) {
                *error = "outgoing stream without mid, kind or SSRC";
            }
            return std::nullopt;
        }
    }
    SessionDescription offer;
    offer.session_id = local_.session_id;
    offer.session_version = std::max(current.session_version + 1, local_.session_version);
    offer.ice_lite = true;
    std::vector<bool> placed(streams.size(), false);
    auto find_stream = [&](const std::string& mid) -> const OutgoingStream* {
        for (size_t i = 0; i < streams.size(); ++i) {
            if (streams[i].mid == mid) {
                placed[i] = true;
                return &streams[i];
            }
        }
        return nullptr;
    };
    bool candidates_written = false;
    auto add_section = [&](MediaSection section) {
        if (!section.rejected()) {
            local_.apply_to(section, Setup::ActPass, !candidates_written);
            candidates_written = true;
            offer.bundle.push_back(section.mid);
        }
        offer.media.push_back(std::move(section));
    };
    for (const auto& existing : current.media) {
        MediaSection section = existing;
        if (section.is_rtp() && !section.rejected()) {
            section.ssrcs.clear();
            section.ssrc_groups.clear();
            section.msid.clear();
            const OutgoingStream* stream = find_stream(section.mid);
            section.direction = direction(receives(existing.direction), stream != nullptr);
            if (stream != nullptr) {
                stream->describe_in(section);
            }
        }
        add_section(std::move(section));
    }
    for (size_t i = 0; i < streams.size(); ++i) {
        if (placed[i]) {
            continue;
        }
        MediaSection section = template_for(current, streams[i].kind);
        section.mid = streams[i].mid;
        for (const auto& codec : section.codecs) {
            section.formats.push_back(std::to_string(codec.payload_type));
        }
        section.direction = Direction::SendOnly;
        section.rtcp_mux = true;
        streams[i].describe_in(section);
        add_section(std::move(section));
    }
    return offer;
}

}  // namespace vg::rtc::sdp
