#include "desk/Housekeeping.hpp"

#include "desk/DomainEvents.hpp"
#include "desk/Queue.hpp"

namespace vg::desk {

namespace {

std::string seconds(std::chrono::seconds s) {
    return std::to_string(s.count()) + " seconds";
}

void presence_events(db::Connection& db, const std::string& now, const db::Result& agents) {
    for (int i = 0; i < agents.rows(); ++i) {
        std::string agent(agents.get(i, 0));
        DomainEvents::emit(db, now, "presence.changed", std::nullopt, agent, std::nullopt, agent);
    }
}

}  // namespace

void Housekeeping::touch_agent(db::Connection& db, const std::string& agent_id,
                               const std::string& now) {
    db.exec("UPDATE agent_presence SET last_seen_at = $2 WHERE agent_id = $1", {agent_id, now});
}

HousekeepingReport Housekeeping::run(db::Connection& db, const Options& options,
                                     const std::string& now) {
    HousekeepingReport report;
    report.offers_expired =
        db.transaction([&](db::Connection& c) { return Queue::expire_offers(c, now); });

    report.wrap_ups_ended = db.transaction([&](db::Connection& c) {
        auto rows = c.exec(
            "UPDATE agent_presence SET state = 'available', since = $1 WHERE state = 'wrap_up' "
            "AND since <= $1::timestamptz - $2::interval RETURNING agent_id::text",
            {now, seconds(options.wrap_up)});
        presence_events(c, now, rows);
        return rows.rows();
    });

    report.agents_lost = db.transaction([&](db::Connection& c) {
        auto lost = c.exec(
            "SELECT agent_id::text FROM agent_presence WHERE state <> 'offline' "
            "AND last_seen_at <= $1::timestamptz - $2::interval FOR UPDATE SKIP LOCKED",
            {now, seconds(options.presence_grace)});
        for (int i = 0; i < lost.rows(); ++i) {
            std::string agent(lost.get(i, 0));
            Queue::return_offers_of(c, now, agent);
            // A call cut by the agent's loss: the citizen goes back to the front of the queue.
            auto cut = c.exec(
                "UPDATE call_sessions SET ended_at = $2, end_reason = 'agent_lost', "
                "outcome = 'technical_failure' WHERE agent_id = $1 AND ended_at IS NULL "
                "RETURNING id::text, site_id::text, booth_id::text, queue_entry_id::text, "
                "appointment_id::text",
                {agent, now});
            for (int k = 0; k < cut.rows(); ++k) {
                c.exec(
                    "UPDATE queue_entries SET state = 'waiting', priority = priority + 1, "
                    "accepted_by = NULL, accepted_at = NULL WHERE id = $1",
                    {std::string(cut.get(k, 3))});
                if (!cut.is_null(k, 4))
                    c.exec(
                        "UPDATE appointments SET status = 'checked_in', version = version + 1, "
                        "updated_at = $2 WHERE id = $1 AND status = 'in_call'",
                        {std::string(cut.get(k, 4)), now});
                std::string site(cut.get(k, 1)), booth(cut.get(k, 2));
                DomainEvents::emit(c, now, "session.ended", site, agent, booth,
                                   std::string(cut.get(k, 0)));
                DomainEvents::emit(c, now, "queue.changed", site, std::nullopt, booth,
                                   std::string(cut.get(k, 3)));
            }
            c.exec("UPDATE agent_presence SET state = 'offline', since = $2 WHERE agent_id = $1",
                   {agent, now});
            DomainEvents::emit(c, now, "presence.changed", std::nullopt, agent, std::nullopt,
                               agent);
        }
        return lost.rows();
    });

    report.no_shows = db.transaction([&](db::Connection& c) {
        auto rows = c.exec(
            "UPDATE appointments SET status = 'no_show', no_show_at = $1, version = version + 1, "
            "updated_at = $1 WHERE status = 'booked' "
            "AND starts_at <= $1::timestamptz - $2::interval RETURNING id::text, site_id::text",
            {now, std::to_string(options.check_in_closes_after.count()) + " minutes"});
        for (int i = 0; i < rows.rows(); ++i) {
            std::string id(rows.get(i, 0));
            c.exec(
                "INSERT INTO appointment_history (appointment_id, action, actor, at) "
                "VALUES ($1, 'no_show', 'system', $2)",
                {id, now});
            c.exec(
                "INSERT INTO audit_events (at, actor_kind, action, object_type, object_id) "
                "VALUES ($1, 'system', 'appointment.no_show', 'appointment', $2)",
                {now, id});
            DomainEvents::emit(c, now, "appointment.changed", std::string(rows.get(i, 1)),
                               std::nullopt, std::nullopt, id);
        }
        return rows.rows();
    });

    if (options.auto_offer) {
        auto expires = db.exec("SELECT vg_time($1::timestamptz + $2::interval)",
                               {now, seconds(options.offer_timeout)});
        std::string expires_at(expires.get(0, 0));
        // One offer per transaction, so each is committed (and notified) on its own; bounded.
        while (report.offers_made < 100 && db.transaction([&](db::Connection& c) {
            return Queue::offer_next(c, now, expires_at);
        }))
            ++report.offers_made;
    }

    db.exec("DELETE FROM idempotency_keys WHERE created_at < $1::timestamptz - interval '1 day'",
            {now});
    return report;
}

}  // namespace vg::desk
