#pragma once
// What call signaling needs from the SFU, as typed commands and events. The server's media engine
// satisfies it through MediaEngineAdapter; tests use a fake, so protocol tests need no media.
#include <functional>
#include <optional>
#include <string>

#include "signaling/JoinClaims.hpp"

namespace vg::signaling {

class CallMedia {
  public:
    // Events from the media side, called on any thread, never while CallMedia holds a lock that
    // its commands take.
    class Listener {
      public:
        virtual ~Listener() = default;
        // The participant's remote tracks changed: this offer must reach its browser, whose
        // answer comes back through accept_answer.
        virtual void on_server_offer(const std::string& participant_id, std::string sdp) = 0;
        // ICE timed out or DTLS failed: the participant's media is gone.
        virtual void on_media_failed(const std::string& participant_id, std::string reason) = 0;
    };

    // Exactly one of answer_sdp and error is set.
    using AnswerCallback =
        std::function<void(std::optional<std::string> answer_sdp, std::string error)>;
    // "" when the browser's answer was applied, else why it was refused (nothing changed).
    using AcceptCallback = std::function<void(std::string error)>;

    virtual ~CallMedia() = default;
    // nullptr detaches. Set before the first command, cleared before the listener dies.
    virtual void set_listener(Listener* listener) = 0;
    // Adds the participant to the room of claims.session_id with the browser's first offer; done
    // is called once, on any thread.
    virtual void create_participant(const std::string& participant_id, const JoinClaims& claims,
                                    std::string offer_sdp, AnswerCallback done) = 0;
    // The browser's answer to the last on_server_offer; done is called once, on any thread,
    // before the participant's next on_server_offer.
    virtual void accept_answer(const std::string& participant_id, std::string answer_sdp,
                               AcceptCallback done) = 0;
    // A later offer from the participant's browser, to restart ICE after its network changed;
    // done is called once, on any thread, with the answer or why it was refused (nothing
    // changed), before the participant's next on_server_offer.
    virtual void restart_ice(const std::string& participant_id, std::string offer_sdp,
                             AnswerCallback done) = 0;
    // Releases everything the participant holds; an unknown id (already removed, or whose
    // creation is still pending and then fails) does nothing.
    virtual void remove_participant(const std::string& participant_id) = 0;
};

}  // namespace vg::signaling
