#pragma once
// What a CallPeer needs from the call signaling it belongs to (CallSignaling is the one; a test
// may hand a peer its own): the join token check, the registry of participants per call session,
// the SFU, and the join deadline.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signaling/CallMedia.hpp"
#include "signaling/JoinClaims.hpp"

namespace vg::signaling {

class CallPeer;

class CallHub {
  public:
    // Who else is in the call, for "participant" messages.
    struct Neighbour {
        std::shared_ptr<CallPeer> peer;
        std::string role;
    };
    struct Admission {
        bool admitted = false;
        // The call session is hosted by another node, or this one drains: join elsewhere.
        bool elsewhere = false;
        std::shared_ptr<CallPeer> replaced;  // the same identity's previous connection
        std::vector<Neighbour> others;
    };

    virtual ~CallHub() = default;

    // nullopt for a token that is not valid; throws when it cannot be checked now.
    virtual std::optional<JoinClaims> verify(const std::string& join_token) = 0;
    // Registers peer as participant_id; refuses when the call is full.
    virtual Admission admit(const std::shared_ptr<CallPeer>& peer,
                            const std::string& participant_id, const JoinClaims& claims) = 0;
    // Unregisters participant_id (if still registered) and returns who remains in its call.
    virtual std::vector<Neighbour> forget(const std::string& participant_id) = 0;
    virtual CallMedia& media() = 0;
    // Runs task once after delay, on any thread.
    virtual void schedule(std::chrono::milliseconds delay, std::function<void()> task) = 0;
};

}  // namespace vg::signaling
