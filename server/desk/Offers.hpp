#pragma once
// An agent takes a citizen from the queue: claim the next entry (pull), accept what is offered
// (the call session begins) or decline it (the entry waits again). Each operation is one
// transaction that leaves its audit and domain events; a refusal changes nothing.
#include <string>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

enum class OfferRefusal {
    None,
    NotAvailable,  // claim: the agent is not available (state says what they are)
    NoSuchEntry,   // accept, decline
    OtherSite,     // the entry's site (site_id) is not the agent's
    NotOnOffer,
    OfferedToAnother,
    Expired,
};

struct OfferResult {
    OfferRefusal refusal = OfferRefusal::None;
    std::string state;    // NotAvailable: the agent's presence
    std::string site_id;  // OtherSite: the entry's
    // claim: the offered entry as offered_json shows it ("" when nothing waits for this agent);
    // accept: the new call session's id.
    std::string offered_json;
    std::string session_id;
};

class Offers {
  public:
    // The next waiting entry this agent may serve, offered until expires_at; an offer the agent
    // holds already is shown again. Entries whose offers expired wait again first.
    static OfferResult claim_next(db::Connection& db, const std::string& now,
                                  const std::string& expires_at, const Principal& agent,
                                  const std::string& address);
    static OfferResult accept(db::Connection& db, const std::string& now, const Principal& agent,
                              const std::string& address, const std::string& entry_id);
    static OfferResult decline(db::Connection& db, const std::string& now, const Principal& agent,
                               const std::string& address, const std::string& entry_id);

  private:
    // What the agent is offered: the entry, and for an appointment the citizen's name and time.
    static std::string offered_json(db::Connection& db, const std::string& entry_id);
};

}  // namespace vg::desk
