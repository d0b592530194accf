#pragma once
// Law 25's retention (issue 14 item 6): once a day, personal data past its retention
// (Options::retention_*) is anonymized by SQL vg_privacy_purge (migrations/0007_privacy.sql):
// citizens' names and contact, cancel reasons, call notes, audit details, client addresses.
// Counts, states and times stay, so the statistics do not change. Several nodes may share the
// database: the first to record today's run in privacy_purge_runs runs it, in that transaction,
// and the others find the day taken.
#include <functional>
#include <optional>
#include <string>

#include "db/Connection.hpp"
#include "desk/Options.hpp"

namespace vg::desk {

class RetentionPurge {
  public:
    // Anonymizes what passed its retention as of now; answers the counts as a JSON object
    // ({appointments_anonymized, call_notes_removed, audit_details_removed, addresses_removed}).
    static std::string run(db::Connection& db, const Options& options, const std::string& now);
    // run() unless some node ran it already on now's UTC day; nullopt when it did not run.
    static std::optional<std::string> run_daily(db::Connection& db, const Options& options,
                                                const std::string& now, const std::string& node);
    // A QueueTimers hook that tries run_daily at most once an hour of now (the hook's clock).
    static std::function<void(db::Connection&, const std::string&)> hook(const Options& options);
};

}  // namespace vg::desk
