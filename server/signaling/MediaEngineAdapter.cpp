#include "signaling/MediaEngineAdapter.hpp"

#include "common/Log.hpp"

namespace vg::signaling {

MediaEngineAdapter::MediaEngineAdapter() : engine_(*this) {}

MediaEngineAdapter::~MediaEngineAdapter() {
    engine_.stop();
}

void MediaEngineAdapter::set_listener(CallMedia::Listener* listener) {
    std::lock_guard lock(mutex_);
    listener_ = listener;
}

void MediaEngineAdapter::create_participant(const std::string& participant_id,
                                            const JoinClaims& claims, std::string offer_sdp,
                                            AnswerCallback done) {
    engine_.create_participant(
        claims.session_id, claims.role, offer_sdp,
        [this, participant_id, done = std::move(done)](rtc::MediaEngine::JoinResult result) {
            if (!result.ok) {
                done(std::nullopt, result.error);
                return;
            }
            {
                // Known before the answer goes out, so that a removal right after finds it.
                std::lock_guard lock(mutex_);
                media_ids_[participant_id] = result.participant_id;
                participant_ids_[result.participant_id] = participant_id;
            }
            done(std::move(result.answer_sdp), {});
        });
}

void MediaEngineAdapter::accept_answer(const std::string& participant_id, std::string answer_sdp,
                                       AcceptCallback done) {
    std::uint64_t media_id = 0;
    {
        std::lock_guard lock(mutex_);
        auto found = media_ids_.find(participant_id);
        if (found != media_ids_.end()) media_id = found->second;
    }
    if (media_id == 0) return done("no media for this participant");
    engine_.accept_answer(media_id, answer_sdp, std::move(done));
}

void MediaEngineAdapter::restart_ice(const std::string& participant_id, std::string offer_sdp,
                                     AnswerCallback done) {
    std::uint64_t media_id = 0;
    {
        std::lock_guard lock(mutex_);
        auto found = media_ids_.find(participant_id);
        if (found != media_ids_.end()) media_id = found->second;
    }
    if (media_id == 0) return done(std::nullopt, "no media for this participant");
    engine_.restart_ice(media_id, offer_sdp, std::move(done));
}

void MediaEngineAdapter::remove_participant(const std::string& participant_id) {
    std::uint64_t media_id = 0;
    {
        std::lock_guard lock(mutex_);
        auto found = media_ids_.find(participant_id);
        if (found == media_ids_.end()) return;
        media_id = found->second;
        media_ids_.erase(found);
        participant_ids_.erase(media_id);
    }
    engine_.remove_participant(media_id);
}

void MediaEngineAdapter::on_participant_connected(std::uint64_t media_id) {
    common::log::get("signaling")->debug("media participant {} connected", media_id);
}

void MediaEngineAdapter::on_participant_quality(const rtc::QualitySummary& summary) {
    if (quality_listener_) quality_listener_(summary);
}

void MediaEngineAdapter::on_participant_closed(std::uint64_t media_id, std::string_view reason) {
    std::string participant_id;
    CallMedia::Listener* listener = nullptr;
    {
        std::lock_guard lock(mutex_);
        auto found = participant_ids_.find(media_id);
        if (found == participant_ids_.end()) return;  // removed by signaling: expected
        participant_id = found->second;
        participant_ids_.erase(found);
        media_ids_.erase(participant_id);
        listener = listener_;
    }
    if (listener) listener->on_media_failed(participant_id, std::string(reason));
}

void MediaEngineAdapter::on_offer(std::uint64_t media_id, std::string sdp) {
    std::string participant_id;
    CallMedia::Listener* listener = nullptr;
    {
        std::lock_guard lock(mutex_);
        auto found = participant_ids_.find(media_id);
        if (found == participant_ids_.end()) return;  // removed meanwhile
        participant_id = found->second;
        listener = listener_;
    }
    if (listener) listener->on_server_offer(participant_id, std::move(sdp));
}

}  // namespace vg::signaling
