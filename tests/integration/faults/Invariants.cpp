#include "integration/faults/Invariants.hpp"

#include <utility>

#include "db/Connection.hpp"

namespace vg::test::faults {

namespace {

// Each rule: what it says, and a query listing the rows that break it.
const std::vector<std::pair<std::string, std::string>> kRules = {
    {"every appointment has its 'booked' history row",
     "SELECT a.id::text FROM appointments a WHERE NOT EXISTS (SELECT 1 FROM appointment_history "
     "h WHERE h.appointment_id = a.id AND h.action = 'booked')"},
    {"an open call session's queue entry is accepted",
     "SELECT c.id::text FROM call_sessions c JOIN queue_entries q ON q.id = c.queue_entry_id "
     "WHERE c.ended_at IS NULL AND q.state <> 'accepted'"},
    {"an accepted queue entry has exactly one open call session",
     "SELECT q.id::text FROM queue_entries q WHERE q.state = 'accepted' AND (SELECT count(*) "
     "FROM call_sessions c WHERE c.queue_entry_id = q.id AND c.ended_at IS NULL) <> 1"},
    {"a waiting queue entry is neither offered nor accepted",
     "SELECT id::text FROM queue_entries WHERE state = 'waiting' AND (offered_to IS NOT NULL "
     "OR accepted_by IS NOT NULL)"},
    {"a finished queue entry says when",
     "SELECT id::text FROM queue_entries WHERE (state = 'done' AND done_at IS NULL) "
     "OR (state = 'abandoned' AND abandoned_at IS NULL)"},
    {"an agent in a call has an open call session, and only then",
     "SELECT p.agent_id::text FROM agent_presence p WHERE (p.state = 'in_call') <> EXISTS "
     "(SELECT 1 FROM call_sessions c WHERE c.agent_id = p.agent_id AND c.ended_at IS NULL)"},
    {"an appointment in a call has an open call session, and only then",
     "SELECT a.id::text FROM appointments a WHERE (a.status = 'in_call') <> EXISTS (SELECT 1 "
     "FROM call_sessions c WHERE c.appointment_id = a.id AND c.ended_at IS NULL)"},
    {"a checked-in appointment waits in the queue",
     "SELECT a.id::text FROM appointments a WHERE a.status = 'checked_in' AND NOT EXISTS "
     "(SELECT 1 FROM queue_entries q WHERE q.appointment_id = a.id "
     "AND q.state IN ('waiting', 'offered'))"},
    {"a live queue entry of an appointment matches its status",
     "SELECT q.id::text FROM queue_entries q JOIN appointments a ON a.id = q.appointment_id "
     "WHERE (q.state IN ('waiting', 'offered') AND a.status <> 'checked_in') "
     "OR (q.state = 'accepted' AND a.status <> 'in_call')"},
    {"a completed appointment says when",
     "SELECT id::text FROM appointments WHERE status = 'completed' AND completed_at IS NULL"},
};

}  // namespace

std::vector<std::string> inconsistencies(const std::string& database_url) {
    db::Connection db(database_url);
    std::vector<std::string> broken;
    for (const auto& [rule, query] : kRules) {
        auto rows = db.exec(query);
        if (rows.rows() == 0) continue;
        std::string line = rule + ": broken by";
        for (int i = 0; i < rows.rows(); ++i) line += " " + std::string(rows.get(i, 0));
        broken.push_back(line);
    }
    return broken;
}

}  // namespace vg::test::faults
