#pragma once
// Drives the REST handlers in-process: a fresh migrated database, a real pool, the routes on a
// Router, and a call() that builds a Request, runs the matched handler and waits for its answer
// (problem answers through the real ErrorMapper). Time is the fixture's clock.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "db/Connection.hpp"
#include "db/Pool.hpp"
#include "desk/Housekeeping.hpp"
#include "http/Router.hpp"
#include "http/api/ApiContext.hpp"
#include "support/TestDatabase.hpp"

namespace vg::test {

struct Reply {
    int status = 0;
    nlohmann::json body;  // null when the body is not JSON
    std::string raw;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string header(const std::string& name) const;
};

using Headers = std::map<std::string, std::string>;

class ApiTest : public ::testing::Test {
  protected:
    void SetUp() override;  // a fresh migrated database, then open()
    // The pool, routes, clock and an admin key on the database at url.
    void open(const std::string& url);
    void TearDown() override;

    Reply call(const std::string& method, const std::string& target, const std::string& token = {},
               const std::string& body = {}, Headers headers = {});
    Reply call(const std::string& method, const std::string& target, const std::string& token,
               const nlohmann::json& body, Headers headers = {});

    void set_now(const std::string& rfc3339);
    desk::HousekeepingReport run_housekeeping();
    db::Connection& sql() { return *sql_; }
    int count(const std::string& table);
    // A fingerprint of every table's row count and content: equal before and after a refused
    // request when it changed nothing.
    std::string snapshot();

    // Shortcuts that build the usual world through the API (and assert each step).
    std::string new_key(const std::string& role);
    nlohmann::json make_site(const std::string& code, const std::string& tz = "America/Toronto");
    nlohmann::json make_service(const std::string& code, int minutes, bool walk_in = true);
    nlohmann::json make_booth(const std::string& site_id, const std::string& label = "Cabine 1");
    std::string enroll(const std::string& site_id);  // a booth token
    nlohmann::json make_agent(const std::string& email, const nlohmann::json& roles,
                              const nlohmann::json& site_ids, const nlohmann::json& service_ids,
                              const nlohmann::json& languages = {"fr", "en"});
    std::string login(const std::string& email);  // an agent token
    void set_availability(const std::string& agent_id, const nlohmann::json& rules);

    std::unique_ptr<TestDatabase> database_;
    std::unique_ptr<db::Connection> sql_;
    std::unique_ptr<db::Pool> pool_;
    std::unique_ptr<http::api::ApiContext> ctx_;
    http::Router router_;
    std::atomic<std::int64_t> now_us_{0};
    std::string admin_;  // an admin API key
    static constexpr const char* kPassword = "correct horse battery";
};

}  // namespace vg::test
