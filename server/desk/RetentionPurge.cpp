#include "desk/RetentionPurge.hpp"

#include <unistd.h>

#include <memory>

#include "common/Log.hpp"

namespace vg::desk {
namespace {

std::string days(int count) {
    return std::to_string(count) + " days";
}

std::string host_name() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "unknown";
    return name;
}

}  // namespace

std::string RetentionPurge::run(db::Connection& db, const Options& options,
                                const std::string& now) {
    auto rows = db.exec(
        "SELECT vg_privacy_purge($1::timestamptz, $2::interval, $3::interval, $4::interval, "
        "$5::interval)::text",
        {now, days(options.retention_citizen_days), days(options.retention_notes_days),
         days(options.retention_audit_details_days), days(options.retention_addresses_days)});
    return std::string(rows.get(0, 0));
}

std::optional<std::string> RetentionPurge::run_daily(db::Connection& db, const Options& options,
                                                     const std::string& now,
                                                     const std::string& node) {
    return db.transaction([&](db::Connection& tx) -> std::optional<std::string> {
        // A second node inserting the same day waits for this transaction, then finds the row.
        auto mine = tx.exec(
            "INSERT INTO privacy_purge_runs (day, node, started_at) "
            "VALUES (($1::timestamptz AT TIME ZONE 'UTC')::date, $2, $1) "
            "ON CONFLICT (day) DO NOTHING RETURNING day::text",
            {now, node});
        if (mine.rows() == 0) return std::nullopt;
        auto report = run(tx, options, now);
        tx.exec(
            "UPDATE privacy_purge_runs SET finished_at = clock_timestamp(), report = $2::jsonb "
            "WHERE day = $1::date",
            {std::string(mine.get(0, 0)), report});
        tx.exec(
            "INSERT INTO audit_events (at, actor_kind, action, object_type, object_id, details) "
            "VALUES ($1, 'system', 'privacy.purge', 'privacy_purge_run', $2, $3::jsonb)",
            {now, std::string(mine.get(0, 0)), report});
        return report;
    });
}

std::function<void(db::Connection&, const std::string&)> RetentionPurge::hook(
    const Options& options) {
    // The hour last tried, shared by the copies of the hook (QueueTimers runs one tick at a time).
    auto last_hour = std::make_shared<std::string>();
    auto node = host_name();
    return [&options, last_hour, node](db::Connection& db, const std::string& now) {
        auto hour = now.substr(0, 13);  // "2026-12-07T22"
        if (hour == *last_hour) return;
        *last_hour = hour;
        try {
            if (auto report = run_daily(db, options, now, node))
                common::log::get("desk")->info("privacy purge: {}", *report);
        } catch (const std::exception& e) {
            // The queue's tick goes on; the next hour tries again.
            common::log::get("desk")->warn("privacy purge: {}", e.what());
        }
    };
}

}  // namespace vg::desk
