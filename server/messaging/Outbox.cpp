#include "messaging/Outbox.hpp"

#include <algorithm>
#include <type_traits>

namespace vg::messaging {

namespace {

// {a,b,c}: a text[] or int[] parameter.
template <typename List>
std::string array_literal(const List& items) {
    std::string out = "{";
    for (const auto& item : items) {
        if (out.size() > 1) out += ',';
        if constexpr (std::is_same_v<typename List::value_type, int>)
            out += std::to_string(item);
        else
            out += item;
    }
    return out + "}";
}

}  // namespace

std::vector<OutboxMessage> Outbox::claim(db::Connection& db, const std::string& now, int limit,
                                         std::chrono::seconds lease,
                                         const std::vector<std::string>& channels) {
    // READ COMMITTED re-checks the WHERE clause on the newest version of a row it locks, so a row
    // another sender claimed and committed meanwhile no longer qualifies; rows it still holds
    // locked are skipped, not waited for.
    auto rows = db.exec(
        "WITH due AS (SELECT id FROM messages"
        "   WHERE next_attempt_at <= $1::timestamptz"
        "     AND (state = 'pending' OR (state = 'sending' AND lease_until <= $1::timestamptz))"
        "     AND channel = ANY ($4::text[])"
        "   ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED) "
        "UPDATE messages m SET state = 'sending', attempts = m.attempts + 1,"
        "   lease_until = $1::timestamptz + make_interval(secs => $3::int)"
        "  FROM due WHERE m.id = due.id "
        "RETURNING m.id::text, m.appointment_id::text, m.kind, m.channel, m.recipient,"
        "   m.language, m.details::text, m.attempts",
        {now, std::to_string(limit), std::to_string(lease.count()), array_literal(channels)});
    std::vector<OutboxMessage> claimed;
    for (int i = 0; i < rows.rows(); ++i) {
        claimed.push_back(OutboxMessage{
            std::string(rows.get(i, 0)), std::string(rows.get(i, 1)), std::string(rows.get(i, 2)),
            std::string(rows.get(i, 3)), std::string(rows.get(i, 4)), std::string(rows.get(i, 5)),
            std::string(rows.get(i, 6)), std::stoi(std::string(rows.get(i, 7)))});
    }
    return claimed;
}

bool Outbox::mark_sent(db::Connection& db, const OutboxMessage& message, const std::string& now) {
    return db.exec(
                 "UPDATE messages SET state = 'sent', sent_at = $3, lease_until = NULL,"
                 "  last_error = NULL WHERE id = $1 AND state = 'sending' AND attempts = $2",
                 {message.id, std::to_string(message.attempts), now})
               .affected_rows() == 1;
}

bool Outbox::mark_failed(db::Connection& db, const OutboxMessage& message, const std::string& error,
                         const std::string& next_attempt_at, bool give_up) {
    return db.exec(
                 "UPDATE messages SET state = $3::message_state, next_attempt_at = $4,"
                 "  lease_until = NULL, last_error = left($5, 500)"
                 " WHERE id = $1 AND state = 'sending' AND attempts = $2",
                 {message.id, std::to_string(message.attempts), give_up ? "failed" : "pending",
                  next_attempt_at, error})
               .affected_rows() == 1;
}

std::string Outbox::list_json(db::Connection& db, const std::string& appointment_id) {
    auto rows = db.exec(
        "SELECT coalesce(jsonb_agg(vg_message_json(m) ORDER BY m.created_at, m.id), '[]')::text "
        "FROM messages m WHERE m.appointment_id = $1",
        {appointment_id});
    return "{\"messages\":" + std::string(rows.get(0, 0)) + "}";
}

int Outbox::queue_reminders(db::Connection& db, const std::string& now,
                            const std::vector<int>& offsets_minutes) {
    if (offsets_minutes.empty()) return 0;
    // Booked visits that start within the largest offset (appointments_booked_start), then per
    // offset and channel; ON CONFLICT covers a node that added the same reminder meanwhile.
    auto rows = db.exec(
        "INSERT INTO messages (appointment_id, kind, channel, recipient, language, details,"
        "                      next_attempt_at, created_at) "
        "SELECT a.id, 'reminder', c.channel, c.recipient, a.citizen_language,"
        "       jsonb_build_object('offset_minutes', o.minutes::text,"
        "                          'starts_at', vg_time(a.starts_at)), $1, $1"
        "  FROM appointments a"
        " CROSS JOIN unnest($2::int[]) AS o(minutes)"
        " CROSS JOIN LATERAL (VALUES ('email', a.citizen_email), ('sms', a.citizen_phone))"
        "       AS c(channel, recipient)"
        " WHERE a.status = 'booked' AND a.starts_at > $1::timestamptz"
        "   AND a.starts_at <= $1::timestamptz + make_interval(mins => $3::int)"
        "   AND a.starts_at - make_interval(mins => o.minutes) <= $1::timestamptz"
        "   AND c.recipient IS NOT NULL"
        "   AND a.starts_at - make_interval(mins => o.minutes) > coalesce("
        "       (SELECT max(h.at) FROM appointment_history h WHERE h.appointment_id = a.id"
        "           AND h.action IN ('booked', 'rescheduled')), a.created_at)"
        "   AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.appointment_id = a.id"
        "       AND m.kind = 'reminder' AND m.channel = c.channel"
        "       AND m.details->>'offset_minutes' = o.minutes::text"
        "       AND m.details->>'starts_at' = vg_time(a.starts_at)) "
        "ON CONFLICT DO NOTHING",
        {now, array_literal(offsets_minutes),
         std::to_string(*std::max_element(offsets_minutes.begin(), offsets_minutes.end()))});
    return static_cast<int>(rows.affected_rows());
}

long Outbox::backlog(db::Connection& db) {
    return std::stol(std::string(
        db.exec("SELECT count(*) FROM messages WHERE state IN ('pending', 'sending')").get(0, 0)));
}

}  // namespace vg::messaging
