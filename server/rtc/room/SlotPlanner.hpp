#pragma once
// Which track each receiver gets on which of its slots, and what its browser must be told.
//
// Each participant receives one audio and one video track per other participant that sends
// them, each on its own slot (section, mid, SSRC). plan() gives every sender's tracks a slot with
// the receiver: first a free slot the receiver already receives on (so a two-party call needs no
// renegotiation), else a free slot of the kind, else a new one; a leaver's slots become free and
// are reused. Where the receiver must learn of a change (a new slot, a slot that starts or stops
// sending), it gets a server offer, one in flight at a time; media flows on a slot once the
// receiver's accepted description sends on it. Control plane: it allocates.
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "rtc/room/Participant.hpp"
#include "rtc/room/ParticipantList.hpp"

namespace vg::rtc::room {

class SlotPlanner {
  public:
    // A server offer a participant's browser must answer.
    struct Offer {
        std::uint64_t participant_id = 0;
        std::string sdp;
    };

    explicit SlotPlanner(const ParticipantList& participants);

    // Matches the receiver's slots to the other participants' tracks, points its forwarding at
    // them, and returns the offer to send it, if its negotiation is open, has nothing pending
    // and the receiver must learn of a change.
    std::optional<Offer> plan(Participant& receiver);

  private:
    void assign_slots(Participant& receiver);
    // Points each of the receiver's sections at the sender of its slot, if it sends on it.
    void feed(Participant& receiver);
    std::optional<Offer> offer_to(Participant& receiver);
    // A random SSRC that none of the receiver's slots uses (as media or RTX SSRC), nor
    // also_taken.
    std::uint32_t new_ssrc(const std::vector<Participant::Slot>& slots, std::uint32_t also_taken);
    static void bind(Participant::OutgoingStream& stream, const MediaSection& receiver_section,
                     const MediaSection& sender_section);

    const ParticipantList& participants_;
    std::mt19937 random_;  // SSRCs of new slots
};

}  // namespace vg::rtc::room
