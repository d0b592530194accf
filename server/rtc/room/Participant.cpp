#include "rtc/room/Participant.hpp"

namespace vg::rtc::room {
namespace {

constexpr const char* transport_cc_uri =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

}  // namespace

Participant::Participant(std::uint64_t id, std::string room_id, std::string role,
                         MediaSettings settings,
                         std::unique_ptr<transport::WebRtcTransport> transport,
                         std::shared_ptr<Negotiation> negotiation)
    : id_(id),
      room_id_(std::move(room_id)),
      role_(std::move(role)),
      settings_(std::move(settings)),
      transport_(std::move(transport)),
      negotiation_(std::move(negotiation)) {
    // The sections the participant receives on are its first slots.
    for (const auto& section : settings_.sections)
        if (section.receives && section.local_ssrc != 0)
            slots_.push_back(
                {section.mid, section.kind, section.local_ssrc, 0, 0, section.local_rtx_ssrc});
    index();
}

void Participant::renegotiated(MediaSettings settings) {
    settings_ = std::move(settings);
    index();
}

void Participant::index() {
    const std::size_t count = settings_.sections.size();
    // Sections only ever get added: the state of the existing ones is kept.
    const std::size_t known = outgoing_.size();
    sending_ssrcs_.resize(count, 0);
    outgoing_.resize(count);
    // RTX numbering starts at an unpredictable point (RFC 3550 5.1): the random SSRC's bits.
    for (std::size_t i = known; i < count; ++i)
        outgoing_[i].rtx_sequence =
            static_cast<std::uint16_t>(settings_.sections[i].local_rtx_ssrc >> 16);
    quality_.resize(settings_);
    section_by_payload_type_.fill(-1);
    repaired_by_rtx_.fill(-1);
    sending_section_ = {-1, -1};
    transport_cc_id_ = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const auto& section = settings_.sections[i];
        for (const auto& codec : section.codecs)
            if (codec.payload_type < 128 && section.sends) {
                section_by_payload_type_[codec.payload_type] = static_cast<int>(i);
                if (codec.associated_payload_type < 128)
                    repaired_by_rtx_[codec.payload_type] = codec.associated_payload_type;
            }
        auto& sending = sending_section_[section.kind == MediaKind::Audio ? 0 : 1];
        if (section.sends && sending < 0) sending = static_cast<int>(i);
        outgoing_[i].clock_rate = section.kind == MediaKind::Audio ? 48000 : 90000;
        for (const auto& extension : section.extensions)
            if (extension.uri == transport_cc_uri) transport_cc_id_ = extension.id;
    }
}

int Participant::section_of_mid(std::string_view mid) const {
    for (std::size_t i = 0; i < settings_.sections.size(); ++i)
        if (settings_.sections[i].mid == mid) return static_cast<int>(i);
    return -1;
}

int Participant::section_fed_by(std::uint64_t sender, MediaKind kind) const {
    for (std::size_t i = 0; i < outgoing_.size(); ++i)
        if (outgoing_[i].source == sender && settings_.sections[i].kind == kind)
            return static_cast<int>(i);
    return -1;
}

int Participant::section_sent_as(std::uint32_t ssrc) const {
    for (std::size_t i = 0; i < settings_.sections.size(); ++i)
        if (settings_.sections[i].receives && settings_.sections[i].local_ssrc == ssrc)
            return static_cast<int>(i);
    return -1;
}

int Participant::rtx_payload_type(std::size_t section, std::uint8_t primary) const {
    if (section >= settings_.sections.size()) return -1;
    for (const auto& codec : settings_.sections[section].codecs)
        if (codec.associated_payload_type == primary) return codec.payload_type;
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

QualitySummary Participant::summary(Clock::time_point now) const {
    auto summary = quality_.summary(now);
    summary.participant_id = id_;
    summary.room_id = room_id_;
    summary.role = role_;
    return summary;
}

}  // namespace vg::rtc::room
