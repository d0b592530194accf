#include "domain/Presence.hpp"

#include <array>

namespace vg::domain {

namespace {

constexpr std::array<std::string_view, 6> kNames = {"offline", "available", "offered",
                                                    "in_call", "wrap_up",   "away"};

}  // namespace

std::optional<PresenceState> Presence::parse(std::string_view text) {
    for (std::size_t i = 0; i < kNames.size(); ++i)
        if (kNames[i] == text) return static_cast<PresenceState>(i);
    return std::nullopt;
}

std::string_view Presence::name(PresenceState state) {
    return kNames[static_cast<std::size_t>(state)];
}

bool Presence::agent_may_set(PresenceState from, PresenceState to) {
    if (to != PresenceState::Available && to != PresenceState::Away && to != PresenceState::Offline)
        return false;
    switch (from) {
        case PresenceState::InCall:
            return false;
        case PresenceState::Offered:
            return to != PresenceState::Available;
        default:
            return true;
    }
}

}  // namespace vg::domain
