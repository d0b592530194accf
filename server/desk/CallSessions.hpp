#pragma once
// A call session after the agent accepted it: who joins it (its booth and its agent, while it
// runs) and how it ends (the agent records an outcome; the queue entry, the appointment and the
// agent's presence follow in the same transaction). A refusal changes nothing.
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"

namespace vg::desk {

enum class SessionRefusal {
    None,
    NoSuchSession,
    NotParticipant,  // join: neither its booth nor its agent; end: not its agent
    Ended,
};

struct SessionSeat {
    SessionRefusal refusal = SessionRefusal::None;
    std::string role;  // "booth" or "agent"
};

struct EndedSession {
    SessionRefusal refusal = SessionRefusal::None;
    std::string json;  // vg_call_session_json after the end
};

class CallSessions {
  public:
    // The caller's seat in the session: its booth or its agent, while it has not ended.
    static SessionSeat seat(db::Connection& db, const std::string& session_id,
                            const Principal& caller);
    // Only the session's agent ends it (NoSuchSession or NotParticipant otherwise); checked
    // before the caller's outcome is read, so that others learn nothing from its validation.
    static SessionRefusal may_end(db::Connection& db, const std::string& session_id,
                                  const Principal& caller);
    // outcome: served, no_show, transferred or technical_failure (checked by the caller); notes
    // up to 4,000 characters. The agent goes to wrap-up.
    static EndedSession end(db::Connection& db, const std::string& now, const Principal& agent,
                            const std::string& address, const std::string& session_id,
                            const std::string& outcome, const std::optional<std::string>& notes);

  private:
    // The appointment follows the call's outcome.
    static void settle_appointment(db::Connection& db, const std::string& now,
                                   const Principal& agent, const std::string& appointment_id,
                                   const std::string& outcome);
};

}  // namespace vg::desk
