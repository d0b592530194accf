#pragma once
// The outbox of messages to citizens (table messages, migrations/0009_messages.sql): rows are
// written by the booking change itself (a trigger); senders on any node claim due rows with
// FOR UPDATE SKIP LOCKED, so two senders never hold the same message, and record each attempt.
#include <chrono>
#include <string>
#include <vector>

#include "db/Connection.hpp"

namespace vg::messaging {

struct OutboxMessage {
    std::string id;
    std::string appointment_id;
    std::string kind;     // confirmation, reminder, moved, cancelled
    std::string channel;  // email, sms
    std::string recipient;
    std::string language;
    std::string details;  // JSON object
    int attempts = 0;     // including the one this claim starts
};

class Outbox {
  public:
    // Up to limit due messages of the given channels (pending, or claimed by a sender whose lease
    // ran out), now claimed by the caller until now + lease; one statement, committed at once. A
    // node without an SMS gateway leaves SMS to a node that has one.
    static std::vector<OutboxMessage> claim(db::Connection& db, const std::string& now, int limit,
                                            std::chrono::seconds lease,
                                            const std::vector<std::string>& channels = {"email",
                                                                                        "sms"});
    // Adds the reminders that are due (now is at least offset before the start, and the visit
    // was booked or last moved before that moment), once each whatever the number of nodes.
    // Returns how many it added.
    static int queue_reminders(db::Connection& db, const std::string& now,
                               const std::vector<int>& offsets_minutes);
    // Recorded only while the claim is still the caller's (same attempt, still sending): a sender
    // whose lease ran out and whose message another sender took records nothing.
    static bool mark_sent(db::Connection& db, const OutboxMessage& message, const std::string& now);
    // Back to pending until next_attempt_at, or failed for good when give_up.
    static bool mark_failed(db::Connection& db, const OutboxMessage& message,
                            const std::string& error, const std::string& next_attempt_at,
                            bool give_up);
    // {"messages": [...]} of one appointment, oldest first, without recipients' addresses.
    static std::string list_json(db::Connection& db, const std::string& appointment_id);
    // Messages not sent yet and not given up.
    static long backlog(db::Connection& db);
};

}  // namespace vg::messaging
