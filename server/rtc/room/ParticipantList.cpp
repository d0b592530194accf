#include "rtc/room/ParticipantList.hpp"

#include <algorithm>

namespace vg::rtc::room {

Participant& ParticipantList::add(std::unique_ptr<Participant> participant) {
    participants_.push_back(std::move(participant));
    return *participants_.back();
}

std::unique_ptr<Participant> ParticipantList::remove(std::uint64_t participant_id) {
    const auto found =
        std::find_if(participants_.begin(), participants_.end(),
                     [&](const auto& participant) { return participant->id() == participant_id; });
    if (found == participants_.end()) return nullptr;
    auto removed = std::move(*found);
    participants_.erase(found);
    return removed;
}

Participant* ParticipantList::find(std::uint64_t participant_id) const {
    for (const auto& participant : participants_)
        if (participant->id() == participant_id) return participant.get();
    return nullptr;
}

}  // namespace vg::rtc::room
