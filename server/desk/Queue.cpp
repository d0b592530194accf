#include "desk/Queue.hpp"

#include "desk/DomainEvents.hpp"
#include "domain/WaitEstimate.hpp"

namespace vg::desk {

std::string Queue::order_by(std::string_view now_param) {
    return "q.priority DESC, (q.due_at IS NOT NULL AND q.due_at <= " + std::string(now_param) +
           "::timestamptz) DESC, q.enqueued_at, q.id";
}

QueuePlace Queue::place(db::Connection& db, const std::string& now, const std::string& entry_id) {
    auto rows = db.exec(
        "SELECT r.position, r.site_id::text, r.service_id::text FROM ("
        "  SELECT q.id, q.site_id, q.service_id, row_number() OVER (ORDER BY " +
            order_by("$2") +
            ") AS position FROM queue_entries q WHERE q.state IN ('waiting', 'offered') "
            "  AND q.site_id = (SELECT site_id FROM queue_entries WHERE id = $1)) r "
            "WHERE r.id = $1",
        {entry_id, now});
    if (rows.rows() == 0) return {};
    QueuePlace place;
    place.position = std::stoi(std::string(rows.get(0, 0)));
    auto figures = db.exec(
        "SELECT (SELECT count(*) FROM agent_presence p JOIN agent_sites s USING (agent_id) "
        "         WHERE s.site_id = $1 AND p.state = 'available'),"
        "       (SELECT count(*) FROM agent_presence p JOIN agent_sites s USING (agent_id) "
        "         WHERE s.site_id = $1 AND p.state IN ('offered', 'in_call', 'wrap_up')),"
        "       coalesce((SELECT extract(epoch FROM avg(ended_at - started_at))::bigint "
        "                   FROM call_sessions WHERE site_id = $1 AND ended_at IS NOT NULL "
        "                    AND ended_at > $3::timestamptz - interval '7 days'),"
        "                (SELECT duration_minutes * 60 FROM services WHERE id = $2))",
        {std::string(rows.get(0, 1)), std::string(rows.get(0, 2)), now});
    place.estimated_wait_seconds = domain::WaitEstimate::seconds(
        place.position, std::stoi(std::string(figures.get(0, 0))),
        std::stoi(std::string(figures.get(0, 1))), std::stoll(std::string(figures.get(0, 2))));
    return place;
}

int Queue::return_offers_of(db::Connection& db, const std::string& now,
                            const std::string& agent_id) {
    auto rows = db.exec(
        "UPDATE queue_entries SET state = 'waiting', offered_to = NULL, offered_at = NULL, "
        "offer_expires_at = NULL WHERE offered_to = $1 AND state = 'offered' "
        "RETURNING site_id::text",
        {agent_id});
    for (int i = 0; i < rows.rows(); ++i)
        DomainEvents::emit(db, now, "queue.changed", std::string(rows.get(i, 0)), std::nullopt,
                           std::nullopt, std::nullopt);
    return rows.rows();
}

int Queue::abandon_at_booth(db::Connection& db, const std::string& now,
                            const std::string& booth_id) {
    auto rows = db.exec(
        "WITH old AS (SELECT id, offered_to FROM queue_entries "
        "              WHERE booth_id = $1 AND state IN ('waiting', 'offered') FOR UPDATE),"
        " gone AS (UPDATE queue_entries q SET state = 'abandoned', abandoned_at = $2, "
        "          offered_to = NULL, offered_at = NULL, offer_expires_at = NULL "
        "          FROM old WHERE q.id = old.id RETURNING q.site_id),"
        " freed AS (UPDATE agent_presence p SET state = 'available', since = $2 FROM old "
        "           WHERE p.agent_id = old.offered_to AND p.state = 'offered' "
        "           RETURNING p.agent_id)"
        "SELECT (SELECT site_id::text FROM gone LIMIT 1), "
        "       (SELECT agent_id::text FROM freed LIMIT 1)",
        {booth_id, now});
    if (rows.is_null(0, 0)) return 0;
    DomainEvents::emit(db, now, "queue.changed", std::string(rows.get(0, 0)), std::nullopt,
                       booth_id, std::nullopt);
    if (!rows.is_null(0, 1)) {
        std::string agent(rows.get(0, 1));
        DomainEvents::emit(db, now, "presence.changed", std::nullopt, agent, std::nullopt, agent);
    }
    return 1;
}

int Queue::expire_offers(db::Connection& db, const std::string& now) {
    auto rows = db.exec(
        "WITH old AS (SELECT id, offered_to FROM queue_entries WHERE state = 'offered' "
        "              AND offer_expires_at <= $1::timestamptz FOR UPDATE SKIP LOCKED),"
        " back AS (UPDATE queue_entries q SET state = 'waiting', offered_to = NULL, "
        "          offered_at = NULL, offer_expires_at = NULL FROM old WHERE q.id = old.id "
        "          RETURNING q.site_id),"
        " freed AS (UPDATE agent_presence p SET state = 'available', since = $1 FROM old "
        "           WHERE p.agent_id = old.offered_to AND p.state = 'offered' "
        "           RETURNING p.agent_id)"
        "SELECT 'site', site_id::text FROM back UNION ALL SELECT 'agent', agent_id::text "
        "FROM freed",
        {now});
    int expired = 0;
    for (int i = 0; i < rows.rows(); ++i) {
        std::string id(rows.get(i, 1));
        if (rows.get(i, 0) == "site") {
            ++expired;
            DomainEvents::emit(db, now, "queue.changed", id, std::nullopt, std::nullopt,
                               std::nullopt);
        } else {
            DomainEvents::emit(db, now, "presence.changed", std::nullopt, id, std::nullopt, id);
        }
    }
    return expired;
}

bool Queue::offer_next(db::Connection& db, const std::string& now, const std::string& expires_at) {
    auto pair = db.exec(
        "SELECT q.id::text, q.site_id::text, p.agent_id::text FROM queue_entries q "
        "CROSS JOIN LATERAL (SELECT p.agent_id FROM agent_presence p "
        "  WHERE p.state = 'available' "
        "    AND EXISTS (SELECT 1 FROM agent_sites s WHERE s.agent_id = p.agent_id "
        "                AND s.site_id = q.site_id) "
        "    AND EXISTS (SELECT 1 FROM agent_services s WHERE s.agent_id = p.agent_id "
        "                AND s.service_id = q.service_id) "
        "    AND EXISTS (SELECT 1 FROM agent_languages l WHERE l.agent_id = p.agent_id "
        "                AND l.language = q.language) "
        "  ORDER BY p.since, p.agent_id LIMIT 1 FOR UPDATE OF p SKIP LOCKED) p "
        "WHERE q.state = 'waiting' ORDER BY " +
            order_by("$1") + " LIMIT 1 FOR UPDATE OF q SKIP LOCKED",
        {now});
    if (pair.rows() == 0) return false;
    std::string entry(pair.get(0, 0)), site(pair.get(0, 1)), agent(pair.get(0, 2));
    db.exec(
        "UPDATE queue_entries SET state = 'offered', offered_to = $2, offered_at = $3, "
        "offer_expires_at = $4, offer_count = offer_count + 1 WHERE id = $1",
        {entry, agent, now, expires_at});
    db.exec("UPDATE agent_presence SET state = 'offered', since = $2 WHERE agent_id = $1",
            {agent, now});
    db.exec(
        "INSERT INTO audit_events (at, actor_kind, action, object_type, object_id, details) "
        "VALUES ($1, 'system', 'queue.offer', 'queue_entry', $2, jsonb_build_object('agent_id', "
        "$3::text))",
        {now, entry, agent});
    DomainEvents::emit(db, now, "offer", site, agent, std::nullopt, entry);
    DomainEvents::emit(db, now, "queue.changed", site, std::nullopt, std::nullopt, entry);
    DomainEvents::emit(db, now, "presence.changed", std::nullopt, agent, std::nullopt, agent);
    return true;
}

}  // namespace vg::desk
