#pragma once
// Call signaling on /rtc/v1 (CONTRACT.md "WebSockets"): admits participants with a join token,
// relays offers and answers between each browser and the SFU, and tells the participants of a
// call session who joined and left. One CallPeer per WebSocket; this object is what they share.
//
// Lifetime: construct it before the HTTP server accepts /rtc/v1 and destroy it after the server
// has closed every connection (the peers keep a reference to it).
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/WebSocket.hpp"
#include "signaling/CallMedia.hpp"
#include "signaling/JoinClaims.hpp"
#include "signaling/Schedule.hpp"

namespace vg::signaling {

class CallPeer;

struct CallSignalingOptions {
    std::chrono::milliseconds join_timeout{5000};
    // An SDP of Chromium with every codec is about 10 KB.
    std::size_t max_message_bytes = 64 * 1024;
    // A booth, an agent, and room for a third (interpreter, supervisor).
    std::size_t max_participants_per_call = 4;
};

class CallSignaling : public CallMedia::Listener {
  public:
    CallSignaling(CallMedia& media, VerifyJoinToken verify, Schedule schedule,
                  CallSignalingOptions options = {});
    ~CallSignaling() override;
    CallSignaling(const CallSignaling&) = delete;
    CallSignaling& operator=(const CallSignaling&) = delete;

    // For server.add_websocket("/rtc/v1", ...).
    http::WebSocketFactory factory();
    std::shared_ptr<http::WebSocketPeer> open(
        std::shared_ptr<http::WebSocketConnection> connection);

    // Says bye (reason "server_shutdown") to every participant and removes them from the SFU.
    void shutdown();
    std::size_t participant_count() const;

    void on_server_offer(const std::string& participant_id, std::string sdp) override;
    void on_media_failed(const std::string& participant_id, std::string reason) override;

  private:
    friend class CallPeer;

    struct Entry {
        std::weak_ptr<CallPeer> peer;
        JoinClaims claims;
    };
    // Who else is in the call, for "participant" messages.
    struct Neighbour {
        std::shared_ptr<CallPeer> peer;
        std::string role;
    };
    struct Admission {
        bool admitted = false;
        std::shared_ptr<CallPeer> replaced;  // the same identity's previous connection
        std::vector<Neighbour> others;
    };

    // Registers peer as participant_id; refuses when the call is full.
    Admission admit(const std::shared_ptr<CallPeer>& peer, const std::string& participant_id,
                    const JoinClaims& claims);
    // Unregisters participant_id (if still registered) and returns who remains in its call.
    std::vector<Neighbour> forget(const std::string& participant_id);
    std::shared_ptr<CallPeer> find(const std::string& participant_id) const;

    CallMedia& media_;
    VerifyJoinToken verify_;
    Schedule schedule_;
    CallSignalingOptions options_;

    mutable std::mutex mutex_;  // guards the maps below; never held while calling a peer
    std::map<std::string, Entry> participants_;              // by participant id
    std::map<std::string, std::vector<std::string>> calls_;  // session id -> participant ids
    std::map<std::pair<std::string, std::string>, std::string> by_identity_;  // (session, identity)
};

}  // namespace vg::signaling
