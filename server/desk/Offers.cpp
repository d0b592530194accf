#include "desk/Offers.hpp"

#include <nlohmann/json.hpp>
#include <optional>

#include "common/Secret.hpp"
#include "desk/DomainEvents.hpp"
#include "desk/Queue.hpp"

namespace vg::desk {

namespace {

using nlohmann::json;

// Thrown inside a transaction to roll back what it did before the refusal (claim-next's expired
// offers) and caught outside it.
struct Refused {
    OfferResult result;
};

[[noreturn]] void refuse(OfferRefusal why, std::string state = {}, std::string site_id = {}) {
    OfferResult result;
    result.refusal = why;
    result.state = std::move(state);
    result.site_id = std::move(site_id);
    throw Refused{std::move(result)};
}

template <typename Fn>
OfferResult refusable(db::Connection& db, Fn&& work) {
    try {
        return db.transaction(std::forward<Fn>(work));
    } catch (const Refused& refused) {
        return refused.result;
    }
}

struct OfferedEntry {
    std::string site_id, booth_id;
    std::optional<std::string> appointment_id;
};

// The entry, locked, when it is on offer to this agent and the offer still runs.
OfferedEntry offered_to(db::Connection& db, const std::string& now, const Principal& agent,
                        const std::string& entry_id) {
    auto rows = db.exec(
        "SELECT site_id::text, booth_id::text, state::text, offered_to::text, "
        "offer_expires_at > $2::timestamptz, appointment_id::text FROM queue_entries "
        "WHERE id = $1 FOR UPDATE",
        {entry_id, now});
    if (rows.rows() == 0) refuse(OfferRefusal::NoSuchEntry);
    std::string site_id(rows.get(0, 0));
    if (!agent.covers(site_id)) refuse(OfferRefusal::OtherSite, {}, site_id);
    if (rows.get(0, 2) != "offered") refuse(OfferRefusal::NotOnOffer);
    if (rows.get(0, 3) != agent.id) refuse(OfferRefusal::OfferedToAnother);
    if (rows.get(0, 4) != "t") refuse(OfferRefusal::Expired);
    return {site_id, std::string(rows.get(0, 1)), rows.optional(0, "appointment_id")};
}

}  // namespace

std::string Offers::offered_json(db::Connection& db, const std::string& entry_id) {
    auto rows = db.exec(
        "SELECT vg_queue_entry_json(q) || CASE WHEN a.id IS NULL THEN '{}'::jsonb ELSE "
        "jsonb_build_object('citizen', jsonb_build_object('name', a.citizen_name, 'language', "
        "a.citizen_language), 'starts_at', vg_time(a.starts_at)) END "
        "FROM queue_entries q LEFT JOIN appointments a ON a.id = q.appointment_id "
        "WHERE q.id = $1",
        {entry_id});
    return std::string(rows.get(0, 0));
}

OfferResult Offers::claim_next(db::Connection& db, const std::string& now,
                               const std::string& expires_at, const Principal& agent,
                               const std::string& address) {
    const auto& agent_id = agent.id;
    return refusable(db, [&](db::Connection& tx) {
        Queue::expire_offers(tx, now);
        auto presence = tx.exec(
            "SELECT state::text FROM agent_presence WHERE agent_id = $1 FOR UPDATE", {agent_id});
        auto state = presence.rows() == 1 ? std::string(presence.get(0, 0)) : "offline";
        OfferResult result;
        if (state == "offered") {
            auto pending = tx.exec(
                "SELECT id::text FROM queue_entries WHERE offered_to = $1 AND state = 'offered'",
                {agent_id});
            if (pending.rows() == 1) {
                result.offered_json = offered_json(tx, std::string(pending.get(0, 0)));
                return result;
            }
        }
        if (state != "available") refuse(OfferRefusal::NotAvailable, state);
        // SKIP LOCKED: agents claiming at the same time each get a different entry, none waits.
        auto next = tx.exec(
            "SELECT q.id::text, q.site_id::text FROM queue_entries q WHERE q.state = 'waiting' "
            "AND q.site_id IN (SELECT site_id FROM agent_sites WHERE agent_id = $1) "
            "AND q.service_id IN (SELECT service_id FROM agent_services WHERE agent_id = $1) "
            "AND q.language IN (SELECT language FROM agent_languages WHERE agent_id = $1) "
            "ORDER BY " +
                Queue::order_by("$2") + " LIMIT 1 FOR UPDATE SKIP LOCKED",
            {agent_id, now});
        if (next.rows() == 0) return result;
        std::string entry_id(next.get(0, 0)), site_id(next.get(0, 1));
        tx.exec(
            "UPDATE queue_entries SET state = 'offered', offered_to = $2, offered_at = $3, "
            "offer_expires_at = $4, offer_count = offer_count + 1 WHERE id = $1",
            {entry_id, agent_id, now, expires_at});
        tx.exec("UPDATE agent_presence SET state = 'offered', since = $2 WHERE agent_id = $1",
                {agent_id, now});
        DomainEvents::audit(tx, now, agent, address, "queue.offer", "queue_entry", entry_id,
                            json{{"agent_id", agent_id}}.dump());
        DomainEvents::emit(tx, now, "offer", site_id, agent_id, std::nullopt, entry_id);
        DomainEvents::emit(tx, now, "queue.changed", site_id, std::nullopt, std::nullopt, entry_id);
        DomainEvents::emit(tx, now, "presence.changed", std::nullopt, agent_id, std::nullopt,
                           agent_id);
        result.offered_json = offered_json(tx, entry_id);
        return result;
    });
}

OfferResult Offers::accept(db::Connection& db, const std::string& now, const Principal& agent,
                           const std::string& address, const std::string& entry_id) {
    const auto& agent_id = agent.id;
    return refusable(db, [&](db::Connection& tx) {
        auto entry = offered_to(tx, now, agent, entry_id);
        tx.exec(
            "UPDATE queue_entries SET state = 'accepted', accepted_by = $2, accepted_at = $3, "
            "offered_to = NULL, offer_expires_at = NULL WHERE id = $1",
            {entry_id, agent_id, now});
        auto session = tx.exec(
            "INSERT INTO call_sessions (site_id, booth_id, agent_id, queue_entry_id, "
            "appointment_id, room_id, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "RETURNING id::text",
            {entry.site_id, entry.booth_id, agent_id, entry_id, entry.appointment_id,
             common::secret::random_token(16), now});
        OfferResult result;
        result.session_id = std::string(session.get(0, 0));
        if (entry.appointment_id)
            tx.exec(
                "UPDATE appointments SET status = 'in_call', version = version + 1, "
                "updated_at = $2 WHERE id = $1",
                {*entry.appointment_id, now});
        tx.exec("UPDATE agent_presence SET state = 'in_call', since = $2 WHERE agent_id = $1",
                {agent_id, now});
        DomainEvents::audit(tx, now, agent, address, "queue.accept", "call_session",
                            result.session_id, json{{"queue_entry_id", entry_id}}.dump());
        DomainEvents::emit(tx, now, "session.ready", entry.site_id, agent_id, entry.booth_id,
                           result.session_id);
        DomainEvents::emit(tx, now, "queue.changed", entry.site_id, std::nullopt, entry.booth_id,
                           entry_id);
        DomainEvents::emit(tx, now, "presence.changed", std::nullopt, agent_id, std::nullopt,
                           agent_id);
        return result;
    });
}

OfferResult Offers::decline(db::Connection& db, const std::string& now, const Principal& agent,
                            const std::string& address, const std::string& entry_id) {
    const auto& agent_id = agent.id;
    return refusable(db, [&](db::Connection& tx) {
        offered_to(tx, now, agent, entry_id);
        Queue::return_offers_of(tx, now, agent_id);
        tx.exec(
            "UPDATE agent_presence SET state = 'available', since = $2 WHERE agent_id = $1 "
            "AND state = 'offered'",
            {agent_id, now});
        DomainEvents::audit(tx, now, agent, address, "queue.decline", "queue_entry", entry_id);
        DomainEvents::emit(tx, now, "presence.changed", std::nullopt, agent_id, std::nullopt,
                           agent_id);
        return OfferResult{};
    });
}

}  // namespace vg::desk
