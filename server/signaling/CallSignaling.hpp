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

#include "common/Schedule.hpp"
#include "http/WebSocket.hpp"
#include "signaling/CallHub.hpp"
#include "signaling/CallMedia.hpp"
#include "signaling/JoinClaims.hpp"

namespace vg::signaling {

class CallPeer;

struct CallSignalingOptions {
    std::chrono::milliseconds join_timeout{5000};
    // An SDP of Chromium with every codec is about 10 KB.
    std::size_t max_message_bytes = 64 * 1024;
    // A booth, an agent, and room for a third (interpreter, supervisor).
    std::size_t max_participants_per_call = 4;
    // Join tokens remembered as used (each lives join_token_ttl, 120 s): beyond, joins are
    // refused until some expire.
    std::size_t max_used_join_tokens = 100000;
    // This node's node_name: join tokens naming another node are refused (one call, one node).
    std::string node_name{};
};

class CallSignaling : public CallMedia::Listener, public CallHub {
  public:
    CallSignaling(CallMedia& media, VerifyJoinToken verify, common::Schedule schedule,
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
    // The call session ended, or its booth was revoked, in the database: its participants here
    // hear bye (reason) and leave the SFU. Any thread.
    void end_session(const std::string& session_id, const std::string& reason);
    // From now on refuses every join, and says bye (reason "moved") to every participant, whose
    // clients join again on another node (CONTRACT.md, the client rule).
    void drain();
    std::size_t participant_count() const;
    std::size_t call_count() const;
    std::vector<std::string> session_ids() const;  // the call sessions with participants here

    void on_server_offer(const std::string& participant_id, std::string sdp) override;
    void on_media_failed(const std::string& participant_id, std::string reason) override;

    // CallHub, for the peers.
    std::optional<JoinClaims> verify(const std::string& join_token) override;
    Admission admit(const std::shared_ptr<CallPeer>& peer, const std::string& participant_id,
                    const JoinClaims& claims) override;
    std::vector<Neighbour> forget(const std::string& participant_id) override;
    CallMedia& media() override { return media_; }
    void schedule(std::chrono::milliseconds delay, std::function<void()> task) override {
        schedule_(delay, std::move(task));
    }

  private:
    struct Entry {
        std::weak_ptr<CallPeer> peer;
        JoinClaims claims;
    };

    std::shared_ptr<CallPeer> find(const std::string& participant_id) const;
    std::vector<std::shared_ptr<CallPeer>> peers() const;

    CallMedia& media_;
    VerifyJoinToken verify_;
    common::Schedule schedule_;
    CallSignalingOptions options_;

    mutable std::mutex mutex_;  // guards the maps below; never held while calling a peer
    bool draining_ = false;
    std::map<std::string, Entry> participants_;              // by participant id
    std::map<std::string, std::vector<std::string>> calls_;  // session id -> participant ids
    std::map<std::pair<std::string, std::string>, std::string> by_identity_;  // (session, identity)
    // Join tokens already used here, by hash, with their expiry (unix seconds): a join token
    // admits one join. Bounded by max_used_join_tokens; expired ones are dropped as new come.
    std::map<std::string, std::int64_t> used_join_tokens_;
};

}  // namespace vg::signaling
