#pragma once
// An agent's presence (PRODUCT.md): offline, available, offered, in_call, wrap_up, away. The
// server moves agents into offered, in_call and wrap_up; agents themselves choose among
// available, away and offline, within what their current state allows.
#include <optional>
#include <string_view>

namespace vg::domain {

enum class PresenceState { Offline, Available, Offered, InCall, WrapUp, Away };

class Presence {
  public:
    static std::optional<PresenceState> parse(std::string_view text);
    static std::string_view name(PresenceState state);
    // Whether an agent in state from may ask for state to (PUT /agents/me/presence). An agent in a
    // call must end it first; an agent with a pending offer may step away (the offer goes back to
    // the queue) but cannot be "available" on top of it.
    static bool agent_may_set(PresenceState from, PresenceState to);
};

}  // namespace vg::domain
