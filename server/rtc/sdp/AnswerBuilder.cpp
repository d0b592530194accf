#include "rtc/sdp/AnswerBuilder.hpp"

#include <algorithm>

#include "rtc/sdp/CodecPolicy.hpp"

namespace vg::rtc::sdp {

namespace {

const OutgoingStream* stream_for(std::span<const OutgoingStream> streams, const std::string& mid) {
    for (const auto& stream : streams) {
        if (stream.mid == mid) {
            return &stream;
        }
    }
    return nullptr;
}

Direction answer_direction(Direction offered, bool sending) {
    switch (offered) {
        case Direction::SendRecv:
            return sending ? Direction::SendRecv : Direction::RecvOnly;
        case Direction::SendOnly:
            return Direction::RecvOnly;
        case Direction::RecvOnly:
            return sending ? Direction::SendOnly : Direction::Inactive;
        case Direction::Inactive:
            return Direction::Inactive;
    }
    return Direction::Inactive;
}

void reject(const MediaSection& offered, MediaSection& answer) {
    answer.port = 0;
    answer.direction = Direction::Inactive;
    answer.formats = offered.formats.empty() ? std::vector<std::string>{"0"}
                                             : std::vector<std::string>{offered.formats.front()};
    answer.codecs.clear();
}

}  // namespace

std::optional<SessionDescription> AnswerBuilder::build(const SessionDescription& offer,
                                                       std::span<const OutgoingStream> streams,
                                                       std::string* error) const {
    auto fail = [&](const char* reason) -> std::optional<SessionDescription> {
        if (error != nullptr) {
            *error = reason;
        }
        return std::nullopt;
    };
    SessionDescription answer;
    answer.session_id = local_.session_id;
    answer.session_version = local_.session_version;
    answer.ice_lite = true;
    bool candidates_written = false;
    for (const auto& offered : offer.media) {
        MediaSection section;
        section.kind = offered.kind;
        section.protocol = offered.protocol;
        section.mid = offered.mid;
        const bool bundled =
            offer.bundle.empty() ||
            std::find(offer.bundle.begin(), offer.bundle.end(), offered.mid) != offer.bundle.end();
        const bool usable = !offered.rejected() && !offered.mid.empty() && bundled &&
                            !offered.ice_ufrag.empty() && !offered.ice_pwd.empty() &&
                            offered.fingerprint_algorithm == "sha-256" &&
                            !offered.fingerprint.empty();
        if (offered.is_rtp() && usable && offered.rtcp_mux &&
            offered.protocol.find("RTP/") != std::string::npos) {
            section.codecs = CodecPolicy::supported_codecs(offered);
            for (const auto& codec : section.codecs) {
                section.formats.push_back(std::to_string(codec.payload_type));
            }
            for (const auto& extension : offered.extensions) {
                if (CodecPolicy::supports_extension(extension.uri, offered.kind)) {
                    section.extensions.push_back(extension);
                }
            }
            const OutgoingStream* stream = stream_for(streams, offered.mid);
            section.direction = answer_direction(offered.direction, stream != nullptr);
            if (stream != nullptr && (section.direction == Direction::SendRecv ||
                                      section.direction == Direction::SendOnly)) {
                stream->describe_in(section);
            }
            section.rtcp_mux = true;
            section.rtcp_reduced_size = offered.rtcp_reduced_size;
        } else if (offered.is_data_channel() && usable &&
                   offered.protocol.find("SCTP") != std::string::npos) {
            section.formats = {"webrtc-datachannel"};
            section.sctp_port = 5000;
            section.max_message_size = kMaxMessageSize;
        }
        if (section.formats.empty()) {
            reject(offered, section);
            answer.media.push_back(std::move(section));
            continue;
        }
        // We answer passive (the browser is the DTLS client) unless the offer insists on that.
        const Setup setup = offered.setup == Setup::Passive ? Setup::Active : Setup::Passive;
        local_.apply_to(section, setup, !candidates_written);
        candidates_written = true;
        answer.bundle.push_back(section.mid);
        answer.media.push_back(std::move(section));
    }
    if (offer.media.empty() || answer.bundle.empty()) {
        return fail("no media section of the offer can be answered");
    }
    if (offer.bundle.empty() && answer.bundle.size() > 1) {
        return fail("several media sections offered without BUNDLE");
    }
    return answer;
}

}  // namespace vg::rtc::sdp
