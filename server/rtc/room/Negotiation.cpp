#include "rtc/room/Negotiation.hpp"

#include <strings.h>

#include "rtc/sdp/OfferBuilder.hpp"

namespace vg::rtc::room {
namespace {

bool sends(sdp::Direction direction) {
    return direction == sdp::Direction::SendRecv || direction == sdp::Direction::SendOnly;
}

bool receives(sdp::Direction direction) {
    return direction == sdp::Direction::SendRecv || direction == sdp::Direction::RecvOnly;
}

// The first usable section names the browser's transport: BUNDLE makes it the only one.
const sdp::MediaSection* transport_section(const sdp::SessionDescription& description) {
    for (const auto& section : description.media)
        if (!section.rejected() && !section.ice_ufrag.empty()) return &section;
    return nullptr;
}

// Why the answered section does not fit the offered one, or "" when it does.
std::string misfit(const sdp::MediaSection& offered, const sdp::MediaSection& answered) {
    if (answered.mid != offered.mid || answered.kind != offered.kind)
        return "section " + offered.mid + " answered as " + answered.kind + " " + answered.mid;
    if (!answered.is_rtp() || answered.rejected()) return {};
    if (answered.codecs.empty()) return "section " + offered.mid + " has no codec";
    for (const auto& codec : answered.codecs) {
        const auto* ours = offered.codec(codec.payload_type);
        if (ours == nullptr || strcasecmp(ours->name.c_str(), codec.name.c_str()) != 0 ||
            ours->clock_rate != codec.clock_rate)
            return "codec " + std::to_string(codec.payload_type) + " of section " + offered.mid +
                   " was not offered";
    }
    for (const auto& extension : answered.extensions) {
        const auto* ours = offered.extension(extension.uri);
        if (ours == nullptr || ours->id != extension.id)
            return "header extension " + extension.uri + " of section " + offered.mid +
                   " was not offered with id " + std::to_string(extension.id);
    }
    return {};
}

}  // namespace

Negotiation::Negotiation(sdp::LocalParameters local, const sdp::SessionDescription& offer,
                         sdp::SessionDescription answer)
    : local_(std::move(local)), current_(std::move(answer)) {
    if (const auto* remote = transport_section(offer)) {
        remote_ufrag_ = remote->ice_ufrag;
        remote_pwd_ = remote->ice_pwd;
        remote_fingerprint_ = remote->fingerprint;
    }
    const auto* ours = transport_section(current_);
    remote_setup_ = ours != nullptr && ours->setup == sdp::Setup::Active ? sdp::Setup::Passive
                                                                         : sdp::Setup::Active;
    next_mid_ = static_cast<unsigned>(current_.media.size());
}

MediaSettings Negotiation::settings(const sdp::SessionDescription& ours,
                                    const sdp::SessionDescription* their_answer) {
    MediaSettings settings;
    for (std::size_t i = 0; i < ours.media.size(); ++i) {
        const auto& section = ours.media[i];
        if (!section.is_rtp()) continue;
        const sdp::MediaSection* theirs = their_answer != nullptr && i < their_answer->media.size()
                                              ? &their_answer->media[i]
                                              : nullptr;
        const auto& negotiated = theirs != nullptr ? *theirs : section;
        MediaSection media;
        media.kind = section.kind == "audio" ? MediaKind::Audio : MediaKind::Video;
        media.mid = section.mid;
        const bool usable = !section.rejected() && !negotiated.rejected();
        // Directions are ours in our description, the browser's in its answer.
        media.sends = usable && receives(section.direction) &&
                      (theirs == nullptr || sends(theirs->direction));
        media.receives = usable && sends(section.direction) &&
                         (theirs == nullptr || receives(theirs->direction)) &&
                         !section.ssrcs.empty();
        if (media.receives) media.local_ssrc = section.ssrcs.front().ssrc;
        bool rtx = false;
        if (usable) {
            for (const auto& codec : negotiated.codecs) {
                const auto repaired = codec.associated_payload_type();
                rtx |= repaired.has_value();
                media.codecs.push_back(
                    {codec.name, codec.clock_rate, codec.payload_type,
                     std::string(codec.parameter("profile-level-id").value_or("")),
                     repaired ? static_cast<int>(*repaired) : -1});
            }
            for (const auto& extension : negotiated.extensions)
                media.extensions.push_back({extension.uri, extension.id});
        }
        // Our RTX stream is the second SSRC of our FID group (RFC 5576), if both sides kept RTX.
        if (media.receives && rtx)
            for (const auto& group : section.ssrc_groups)
                if (group.semantics == "FID" && group.ssrcs.size() == 2 &&
                    group.ssrcs[0] == media.local_ssrc)
                    media.local_rtx_ssrc = group.ssrcs[1];
        settings.sections.push_back(std::move(media));
    }
    return settings;
}

bool Negotiation::sending(std::string_view mid) const {
    const auto* section = current_.section(mid);
    return section != nullptr && !section->rejected() && sends(section->direction) &&
           !section->ssrcs.empty();
}

std::string Negotiation::new_mid() {
    for (;;) {
        auto mid = std::to_string(next_mid_++);
        if (current_.section(mid) == nullptr && (!pending_ || pending_->section(mid) == nullptr))
            return mid;
    }
}

std::optional<std::string> Negotiation::offer(std::span<const sdp::OutgoingStream> streams,
                                              std::string* error) {
    if (pending_) {
        if (error != nullptr) *error = "an offer is already waiting for its answer";
        return std::nullopt;
    }
    auto built = sdp::OfferBuilder(local_).build(current_, streams, error);
    if (!built) return std::nullopt;
    pending_ = std::move(*built);
    offered_at_ = Clock::now();
    return pending_->to_string();
}

std::optional<MediaSettings> Negotiation::accept(std::string_view answer_sdp, std::string* error) {
    const auto refuse = [&](std::string reason) -> std::optional<MediaSettings> {
        if (error != nullptr) *error = std::move(reason);
        return std::nullopt;
    };
    if (!pending_) return refuse("no offer is waiting for an answer");
    if (answer_sdp.size() > sdp::SessionDescription::kMaxSize) return refuse("answer too large");
    std::string reason;
    const auto answer = sdp::SessionDescription::parse(answer_sdp, &reason);
    if (!answer) return refuse("unreadable answer: " + reason);
    if (answer->media.size() != pending_->media.size())
        return refuse("the answer has " + std::to_string(answer->media.size()) + " sections for " +
                      std::to_string(pending_->media.size()) + " offered");
    for (std::size_t i = 0; i < answer->media.size(); ++i) {
        const auto& offered = pending_->media[i];
        const auto& answered = answer->media[i];
        if (auto why = misfit(offered, answered); !why.empty()) return refuse(why);
        if (answered.rejected() || offered.rejected()) continue;
        if (answered.ice_ufrag != remote_ufrag_ || answered.ice_pwd != remote_pwd_)
            return refuse("the answer restarts ICE (section " + answered.mid + ")");
        if (strcasecmp(answered.fingerprint.c_str(), remote_fingerprint_.c_str()) != 0)
            return refuse("the answer changes the DTLS fingerprint (section " + answered.mid + ")");
        if (answered.setup != remote_setup_)
            return refuse("the answer changes the DTLS role (section " + answered.mid + ")");
    }
    auto settings = Negotiation::settings(*pending_, &*answer);
    current_ = std::move(*pending_);
    pending_.reset();
    return settings;
}

std::optional<std::string> Negotiation::restart_ice(std::string_view offer_sdp,
                                                    ice::Credentials local,
                                                    ice::Credentials& remote, std::string* error) {
    const auto refuse = [&](std::string reason) -> std::optional<std::string> {
        if (error != nullptr) *error = std::move(reason);
        return std::nullopt;
    };
    if (!open) return refuse("the answer to the first offer is still on its way");
    if (pending_) return refuse("our offer is waiting for its answer: answer it, then offer");
    if (offer_sdp.size() > sdp::SessionDescription::kMaxSize) return refuse("offer too large");
    std::string reason;
    const auto offer = sdp::SessionDescription::parse(offer_sdp, &reason);
    if (!offer) return refuse("unreadable offer: " + reason);
    if (offer->media.size() != current_.media.size())
        return refuse("an offer from the browser may only restart ICE: it has " +
                      std::to_string(offer->media.size()) + " sections for " +
                      std::to_string(current_.media.size()));
    for (std::size_t i = 0; i < offer->media.size(); ++i) {
        const auto& ours = current_.media[i];
        const auto& theirs = offer->media[i];
        if (theirs.mid != ours.mid || theirs.kind != ours.kind)
            return refuse("an offer from the browser may only restart ICE: section " + ours.mid +
                          " offered as " + theirs.kind + " " + theirs.mid);
    }
    const auto* transport = transport_section(*offer);
    if (transport == nullptr || transport->ice_pwd.empty())
        return refuse("the offer has no ICE credentials");
    if (transport->ice_ufrag == remote_ufrag_ && transport->ice_pwd == remote_pwd_)
        return refuse("an offer from the browser may only restart ICE: same ICE credentials");
    if (strcasecmp(transport->fingerprint.c_str(), remote_fingerprint_.c_str()) != 0)
        return refuse("the offer changes the DTLS fingerprint");
    if (local.ufrag.empty() || local.pwd.empty()) return refuse("no new local credentials");

    // Our role stays the one the first exchange settled: no new DTLS handshake.
    const auto setup =
        remote_setup_ == sdp::Setup::Active ? sdp::Setup::Passive : sdp::Setup::Active;
    auto answer = current_;
    for (auto& section : answer.media) {
        if (section.rejected()) continue;
        section.ice_ufrag = local.ufrag;
        section.ice_pwd = local.pwd;
        section.setup = setup;
    }
    if (!answer.ice_ufrag.empty()) answer.ice_ufrag = local.ufrag;
    if (!answer.ice_pwd.empty()) answer.ice_pwd = local.pwd;
    if (answer.setup != sdp::Setup::None) answer.setup = setup;
    answer.session_version = current_.session_version + 1;

    remote = {transport->ice_ufrag, transport->ice_pwd};
    remote_ufrag_ = remote.ufrag;
    remote_pwd_ = remote.pwd;
    local_.ice_ufrag = std::move(local.ufrag);
    local_.ice_pwd = std::move(local.pwd);
    current_ = std::move(answer);
    return current_.to_string();
}

}  // namespace vg::rtc::room
