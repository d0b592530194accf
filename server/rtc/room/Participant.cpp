#include "rtc/room/Participant.hpp"

namespace vg::rtc::room {
namespace {

constexpr const char* transport_cc_uri =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

}  // namespace

Participant::Participant(std::uint64_t id, std::string room_id, std::string role,
                         MediaSettings settings,
                         std::unique_ptr<transport::WebRtcTransport> transport)
    : id_(id),
      room_id_(std::move(room_id)),
      role_(std::move(role)),
      settings_(std::move(settings)),
      transport_(std::move(transport)),
      sending_ssrcs_(settings_.sections.size(), 0),
      outgoing_(settings_.sections.size()) {
    section_by_payload_type_.fill(-1);
    repaired_by_rtx_.fill(-1);
    for (std::size_t i = 0; i < settings_.sections.size(); ++i) {
        const auto& section = settings_.sections[i];
        for (const auto& codec : section.codecs)
            if (codec.payload_type < 128 && section.sends) {
                section_by_payload_type_[codec.payload_type] = static_cast<int>(i);
                if (codec.associated_payload_type < 128)
                    repaired_by_rtx_[codec.payload_type] = codec.associated_payload_type;
            }
        outgoing_[i].clock_rate = section.kind == MediaKind::Audio ? 48000 : 90000;
        for (const auto& extension : section.extensions)
            if (extension.uri == transport_cc_uri && section.sends) transport_cc_id_ = extension.id;
    }
}

int Participant::receiving_section(MediaKind kind) const {
    for (std::size_t i = 0; i < settings_.sections.size(); ++i)
        if (settings_.sections[i].kind == kind && settings_.sections[i].receives)
            return static_cast<int>(i);
    return -1;
}

std::uint32_t Participant::sending_ssrc_of(MediaKind kind) const {
    for (std::size_t i = 0; i < settings_.sections.size(); ++i)
        if (settings_.sections[i].kind == kind && sending_ssrcs_[i] != 0) return sending_ssrcs_[i];
    return 0;
}

std::uint32_t Participant::local_ssrc_of(MediaKind kind) const {
    for (const auto& section : settings_.sections)
        if (section.kind == kind && section.local_ssrc != 0) return section.local_ssrc;
    return 0;
}

}  // namespace vg::rtc::room
