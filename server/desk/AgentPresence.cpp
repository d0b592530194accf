#include "desk/AgentPresence.hpp"

#include <nlohmann/json.hpp>

#include "desk/DomainEvents.hpp"
#include "desk/Queue.hpp"

namespace vg::desk {

using domain::Presence;

namespace {

// Thrown inside the transaction so that it rolls back, caught outside it.
struct Refused {
    domain::PresenceState from;
};

}  // namespace

std::string AgentPresence::presence_json(db::Connection& db, const std::string& agent_id) {
    auto rows = db.exec(
        "SELECT jsonb_build_object('state', state, 'since', vg_time(since))::text "
        "FROM agent_presence WHERE agent_id = $1",
        {agent_id});
    if (rows.rows() == 0) return R"({"state":"offline","since":null})";
    return std::string(rows.get(0, 0));
}

PresenceChange AgentPresence::set(db::Connection& db, const std::string& now,
                                  const Principal& agent, const std::string& address,
                                  domain::PresenceState wanted) {
    const auto& agent_id = agent.id;
    const std::string to(Presence::name(wanted));
    try {
        return db.transaction([&](db::Connection& tx) {
            tx.exec(
                "INSERT INTO agent_presence (agent_id, state, since, last_seen_at) VALUES "
                "($1, 'offline', $2, $2) ON CONFLICT (agent_id) DO NOTHING",
                {agent_id, now});
            auto rows =
                tx.exec("SELECT state::text FROM agent_presence WHERE agent_id = $1 FOR UPDATE",
                        {agent_id});
            auto from = *Presence::parse(rows.get(0, 0));
            if (!Presence::agent_may_set(from, wanted)) throw Refused{from};
            if (from == domain::PresenceState::Offered) Queue::return_offers_of(tx, now, agent_id);
            if (from != wanted) {
                tx.exec(
                    "UPDATE agent_presence SET state = $2::presence_state, since = $3, "
                    "last_seen_at = $3 WHERE agent_id = $1",
                    {agent_id, to, now});
                DomainEvents::audit(
                    tx, now, agent, address, "agent.presence", "agent", agent_id,
                    nlohmann::json{{"from", Presence::name(from)}, {"to", to}}.dump());
                DomainEvents::emit(tx, now, "presence.changed", std::nullopt, agent_id,
                                   std::nullopt, agent_id);
            } else {
                tx.exec("UPDATE agent_presence SET last_seen_at = $2 WHERE agent_id = $1",
                        {agent_id, now});
            }
            return PresenceChange{std::nullopt, presence_json(tx, agent_id)};
        });
    } catch (const Refused& refused) {
        return PresenceChange{refused.from, {}};
    }
}

void AgentPresence::leave_console(db::Connection& db, const std::string& now,
                                  const std::string& agent_id) {
    auto presence = db.exec("SELECT state::text FROM agent_presence WHERE agent_id = $1 FOR UPDATE",
                            {agent_id});
    if (presence.rows() == 1 && presence.get(0, 0) != "offline" &&
        presence.get(0, 0) != "in_call") {
        Queue::return_offers_of(db, now, agent_id);
        db.exec("UPDATE agent_presence SET state = 'offline', since = $2 WHERE agent_id = $1",
                {agent_id, now});
        DomainEvents::emit(db, now, "presence.changed", std::nullopt, agent_id, std::nullopt,
                           agent_id);
    }
}

}  // namespace vg::desk
