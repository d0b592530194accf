#pragma once
// The participants of one call session, in the order they joined. Owns them.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "rtc/room/Participant.hpp"

namespace vg::rtc::room {

class ParticipantList {
  public:
    using Storage = std::vector<std::unique_ptr<Participant>>;

    Participant& add(std::unique_ptr<Participant> participant);
    // Removes and hands back the participant; nullptr if unknown.
    std::unique_ptr<Participant> remove(std::uint64_t participant_id);
    Participant* find(std::uint64_t participant_id) const;

    bool empty() const { return participants_.empty(); }
    std::size_t size() const { return participants_.size(); }
    const Storage& all() const { return participants_; }
    Storage::const_iterator begin() const { return participants_.begin(); }
    Storage::const_iterator end() const { return participants_.end(); }

  private:
    Storage participants_;
};

}  // namespace vg::rtc::room
