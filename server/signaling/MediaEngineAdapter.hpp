#pragma once
// Call signaling's CallMedia on the real SFU: owns the MediaEngine (which reports to it), maps
// signaling's participant ids to the engine's, passes the engine's offers on as on_server_offer,
// and turns the engine's unexpected closes (ICE timeout, DTLS failure) into on_media_failed.
//
//   signaling::MediaEngineAdapter media;
//   media.engine().start(options);
//   signaling::CallSignaling calls(media, verify, schedule);
//   ... on stop: server closes connections, calls.shutdown(), media.engine().stop(), then destroy
//   calls before media.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "rtc/MediaEngine.hpp"
#include "signaling/CallMedia.hpp"

namespace vg::signaling {

class MediaEngineAdapter : public CallMedia, private rtc::MediaListener {
  public:
    MediaEngineAdapter();
    ~MediaEngineAdapter() override;

    rtc::MediaEngine& engine() { return engine_; }
    // Gets each participant's final media statistics, on a media worker's thread: must return
    // quickly. Set before the engine starts.
    using QualityListener = std::function<void(const rtc::QualitySummary&)>;
    void set_quality_listener(QualityListener listener) { quality_listener_ = std::move(listener); }

    void set_listener(CallMedia::Listener* listener) override;
    void create_participant(const std::string& participant_id, const JoinClaims& claims,
                            std::string offer_sdp, AnswerCallback done) override;
    void accept_answer(const std::string& participant_id, std::string answer_sdp,
                       AcceptCallback done) override;
    void restart_ice(const std::string& participant_id, std::string offer_sdp,
                     AnswerCallback done) override;
    void remove_participant(const std::string& participant_id) override;

  private:
    void on_participant_connected(std::uint64_t media_id) override;
    void on_participant_closed(std::uint64_t media_id, std::string_view reason) override;
    void on_offer(std::uint64_t media_id, std::string sdp) override;
    void on_participant_quality(const rtc::QualitySummary& summary) override;

    std::mutex mutex_;  // never held while calling the engine or the listener
    CallMedia::Listener* listener_ = nullptr;
    std::map<std::string, std::uint64_t> media_ids_;
    std::map<std::uint64_t, std::string> participant_ids_;
    QualityListener quality_listener_;
    rtc::MediaEngine engine_;  // Last: its workers stop before the maps above go.
};

}  // namespace vg::signaling
