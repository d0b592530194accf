#include "desk/CallSessions.hpp"

#include <nlohmann/json.hpp>

#include "desk/DomainEvents.hpp"

namespace vg::desk {

namespace {

using nlohmann::json;

bool is_agent(const Principal& caller, std::string_view agent_id) {
    return caller.kind == Principal::Kind::Agent && agent_id == caller.id;
}

}  // namespace

SessionSeat CallSessions::seat(db::Connection& db, const std::string& session_id,
                               const Principal& caller) {
    auto rows = db.exec(
        "SELECT booth_id::text, agent_id::text, ended_at IS NOT NULL FROM call_sessions "
        "WHERE id = $1",
        {session_id});
    SessionSeat seat;
    if (rows.rows() == 0)
        seat.refusal = SessionRefusal::NoSuchSession;
    else if (caller.kind == Principal::Kind::Booth && rows.get(0, 0) == caller.id)
        seat.role = "booth";
    else if (is_agent(caller, rows.get(0, 1)))
        seat.role = "agent";
    else
        seat.refusal = SessionRefusal::NotParticipant;
    if (seat.refusal == SessionRefusal::None && rows.get(0, 2) == "t") {
        seat.refusal = SessionRefusal::Ended;
        seat.role.clear();
    }
    return seat;
}

SessionRefusal CallSessions::may_end(db::Connection& db, const std::string& session_id,
                                     const Principal& caller) {
    auto owner = db.exec("SELECT agent_id::text FROM call_sessions WHERE id = $1", {session_id});
    if (owner.rows() == 0) return SessionRefusal::NoSuchSession;
    if (!is_agent(caller, owner.get(0, 0))) return SessionRefusal::NotParticipant;
    return SessionRefusal::None;
}

EndedSession CallSessions::end(db::Connection& db, const std::string& now, const Principal& agent,
                               const std::string& address, const std::string& session_id,
                               const std::string& outcome,
                               const std::optional<std::string>& notes) {
    return db.transaction([&](db::Connection& tx) {
        EndedSession ended;
        auto rows = tx.exec(
            "SELECT agent_id::text, ended_at IS NOT NULL, site_id::text, booth_id::text, "
            "queue_entry_id::text, appointment_id::text FROM call_sessions WHERE id = $1 "
            "FOR UPDATE",
            {session_id});
        if (rows.rows() == 0)
            ended.refusal = SessionRefusal::NoSuchSession;
        else if (!is_agent(agent, rows.get(0, 0)))
            ended.refusal = SessionRefusal::NotParticipant;
        else if (rows.get(0, 1) == "t")
            ended.refusal = SessionRefusal::Ended;
        if (ended.refusal != SessionRefusal::None) return ended;
        std::string site_id(rows.get(0, 2)), booth_id(rows.get(0, 3)), entry_id(rows.get(0, 4));
        auto appointment = rows.optional(0, "appointment_id");
        auto session = tx.exec(
            "UPDATE call_sessions SET ended_at = $2, end_reason = 'ended_by_agent', "
            "outcome = $3::call_outcome, notes = $4 WHERE id = $1 "
            "RETURNING vg_call_session_json(call_sessions)::text",
            {session_id, now, outcome, notes});
        ended.json = std::string(session.get(0, 0));
        tx.exec("UPDATE queue_entries SET state = 'done', done_at = $2, outcome = $3 WHERE id = $1",
                {entry_id, now, outcome});
        if (appointment) settle_appointment(tx, now, agent, *appointment, outcome);
        tx.exec("UPDATE agent_presence SET state = 'wrap_up', since = $2 WHERE agent_id = $1",
                {agent.id, now});
        DomainEvents::audit(tx, now, agent, address, "session.end", "call_session", session_id,
                            json{{"outcome", outcome}}.dump());
        DomainEvents::emit(tx, now, "session.ended", site_id, agent.id, booth_id, session_id);
        DomainEvents::emit(tx, now, "queue.changed", site_id, std::nullopt, booth_id, entry_id);
        DomainEvents::emit(tx, now, "presence.changed", std::nullopt, agent.id, std::nullopt,
                           agent.id);
        return ended;
    });
}

void CallSessions::settle_appointment(db::Connection& db, const std::string& now,
                                      const Principal& agent, const std::string& appointment_id,
                                      const std::string& outcome) {
    // A call that failed for technical reasons leaves the appointment open: the citizen can
    // check in again with the same code.
    db.exec(
        "UPDATE appointments SET status = CASE $3 WHEN 'no_show' THEN "
        "'no_show'::appointment_status WHEN 'technical_failure' THEN 'booked' ELSE "
        "'completed' END, completed_at = CASE WHEN $3 IN ('served', 'transferred') THEN "
        "$2::timestamptz END, no_show_at = CASE WHEN $3 = 'no_show' THEN "
        "$2::timestamptz END, version = version + 1, updated_at = $2 WHERE id = $1",
        {appointment_id, now, outcome});
    db.exec(
        "INSERT INTO appointment_history (appointment_id, action, actor, at, details) "
        "VALUES ($1, 'call_ended', $2, $3, $4::jsonb)",
        {appointment_id, agent.actor(), now, json{{"outcome", outcome}}.dump()});
}

}  // namespace vg::desk
