#pragma once
// The desk's operations on a fresh migrated database, without HTTP: a site with a walk-in
// service, a booth and an agent who serves it, written with plain SQL.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "db/Connection.hpp"
#include "support/TestDatabase.hpp"

namespace vg::test {

class DeskTest : public ::testing::Test {
  protected:
    void SetUp() override {
        database_ = std::make_unique<TestDatabase>();
        db_ = std::make_unique<db::Connection>(database_->url());
        site_ = value(
            "INSERT INTO sites (code, name_fr, name_en) VALUES ('NIC', 'Nicolet', 'Nicolet') "
            "RETURNING id::text");
        service_ = value(
            "INSERT INTO services (code, name_fr, name_en, duration_minutes, walk_in_allowed) "
            "VALUES ('EMP', 'Emploi', 'Jobs', 20, true) RETURNING id::text");
        booth_ = value("INSERT INTO booths (site_id, label) VALUES ('" + site_ +
                       "', 'Cabine 1') RETURNING id::text");
        other_booth_ = value("INSERT INTO booths (site_id, label) VALUES ('" + site_ +
                             "', 'Cabine 2') RETURNING id::text");
        agent_ = value(
            "INSERT INTO agents (email, display_name, password_hash, roles) "
            "VALUES ('a@example.org', 'Ana', 'x', ARRAY['agent']) RETURNING id::text");
        sql("INSERT INTO agent_sites VALUES ('" + agent_ + "', '" + site_ + "')");
        sql("INSERT INTO agent_services VALUES ('" + agent_ + "', '" + service_ + "')");
        sql("INSERT INTO agent_languages VALUES ('" + agent_ + "', 'fr')");
        sql("INSERT INTO agent_presence (agent_id, state, since, last_seen_at) VALUES ('" + agent_ +
            "', 'available', '" + kNow + "', '" + kNow + "')");
    }

    // A walk-in waiting at a booth (one citizen per booth) since at.
    std::string walk_in(const std::string& at, const std::string& booth) {
        return value(
            "INSERT INTO queue_entries (site_id, booth_id, kind, service_id, language, "
            "enqueued_at) VALUES ('" +
            site_ + "', '" + booth + "', 'walk_in', '" + service_ + "', 'fr', '" + at +
            "') RETURNING id::text");
    }
    std::string value(const std::string& query) { return std::string(db_->exec(query).get(0, 0)); }
    void sql(const std::string& query) { db_->exec(query); }
    int events(const std::string& type) {
        return std::stoi(value("SELECT count(*) FROM domain_events WHERE type = '" + type + "'"));
    }

    static constexpr const char* kNow = "2026-12-01T14:00:00Z";
    std::unique_ptr<TestDatabase> database_;
    std::unique_ptr<db::Connection> db_;
    std::string site_, service_, booth_, other_booth_, agent_;
};

}  // namespace vg::test
