// The binary as an operator uses it: commands, configuration errors, health through a database
// restart, graceful stop, concurrent starts.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <csignal>
#include <future>
#include <thread>

#include "integration/ServerProcess.hpp"
#include "support/HttpClient.hpp"
#include "support/TestCluster.hpp"
#include "support/TestDatabase.hpp"

namespace vg::test {
namespace {

using namespace std::chrono_literals;

std::string last_line(const std::string& text) {
    auto end = text.find_last_not_of('\n');
    auto start = text.rfind('\n', end);
    return text.substr(start == std::string::npos ? 0 : start + 1, end - start);
}

std::string query_one(const std::string& url, const std::string& sql) {
    PGconn* connection = PQconnectdb(url.c_str());
    PGresult* result = PQexec(connection, sql.c_str());
    std::string value = PQntuples(result) > 0 ? PQgetvalue(result, 0, 0) : "";
    PQclear(result);
    PQfinish(connection);
    return value;
}

HttpResponse get(const ServerProcess& server, const std::string& path, HttpHeaders headers = {}) {
    return http_request("GET", "127.0.0.1", server.http_port(), path, headers);
}

bool eventually_status(const ServerProcess& server, const std::string& path, int status,
                       std::chrono::seconds within) {
    auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
        try {
            if (get(server, path).status == status) return true;
        } catch (const std::exception&) {
        }
        std::this_thread::sleep_for(200ms);
    }
    return false;
}

TEST(ServerCommands, EveryCommandHasHelp) {
    for (std::string command : {"serve", "migrate", "create-api-key"}) {
        auto result = run_server_command({command, "--help"}, {});
        EXPECT_EQ(result.exit_code, 0) << command << "\n" << result.output;
        EXPECT_NE(result.output.find("Usage: visioguichet " + command), std::string::npos)
            << result.output;
        EXPECT_NE(result.output.find("--config"), std::string::npos) << result.output;
    }
    auto top = run_server_command({"--help"}, {});
    EXPECT_EQ(top.exit_code, 0);
    EXPECT_NE(top.output.find("create-api-key"), std::string::npos);
}

TEST(ServerCommands, UsageErrorsExitWithTwoAndSayWhy) {
    auto unknown = run_server_command({"dance"}, {});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.output.find("unknown command 'dance'"), std::string::npos);

    auto bad_address =
        run_server_command({"serve"}, {{"VISIOGUICHET_DATABASE_URL", "postgresql://x@127.0.0.1/x"},
                                       {"VISIOGUICHET_HTTP_ADDR", "nowhere"}});
    EXPECT_EQ(bad_address.exit_code, 2);
    EXPECT_NE(bad_address.output.find("VISIOGUICHET_HTTP_ADDR"), std::string::npos)
        << bad_address.output;

    auto no_database = run_server_command({"migrate"}, {});
    EXPECT_EQ(no_database.exit_code, 2);
    EXPECT_NE(no_database.output.find("database_url is not set"), std::string::npos);

    auto bad_role = run_server_command({"create-api-key", "--role", "root", "--name", "x"}, {});
    EXPECT_EQ(bad_role.exit_code, 2);
    EXPECT_NE(bad_role.output.find("--role"), std::string::npos);
}

TEST(ServerCommands, UnreachableDatabaseIsAClearFailure) {
    auto result = run_server_command(
        {"migrate"},
        {{"VISIOGUICHET_DATABASE_URL",
          "postgresql://nobody@127.0.0.1:" + std::to_string(free_tcp_port()) + "/none"}});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_FALSE(result.output.empty());
}

TEST(ServerCommands, MigrateAppliesOnceThenNothing) {
    TestDatabase database(TestDatabase::Schema::Empty);
    std::map<std::string, std::string> env = {{"VISIOGUICHET_DATABASE_URL", database.url()}};
    auto first = run_server_command({"migrate"}, env);
    ASSERT_EQ(first.exit_code, 0) << first.output;
    EXPECT_EQ(first.output.find("migrations applied: 0"), std::string::npos) << first.output;
    auto second = run_server_command({"migrate"}, env);
    ASSERT_EQ(second.exit_code, 0) << second.output;
    EXPECT_NE(second.output.find("migrations applied: 0"), std::string::npos) << second.output;
    EXPECT_EQ(query_one(database.url(),
                        "SELECT count(*) = count(DISTINCT version) FROM schema_migrations"),
              "t");
}

TEST(ServerCommands, CreatedApiKeyIsPrintedLastAndStoredHashed) {
    TestDatabase database;
    auto result = run_server_command({"create-api-key", "--role", "admin", "--name", "ops"},
                                     {{"VISIOGUICHET_DATABASE_URL", database.url()}});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    auto key = last_line(result.output);
    EXPECT_GE(key.size(), 32u);
    EXPECT_EQ(key.find(' '), std::string::npos);
    EXPECT_EQ(query_one(database.url(), "SELECT count(*) FROM api_keys WHERE name = 'ops'"), "1");
    EXPECT_EQ(
        query_one(database.url(), "SELECT count(*) FROM api_keys WHERE key_hash = '" + key + "'"),
        "0");

    ServerProcess server(database.url());
    EXPECT_EQ(get(server, "/api/v1/sites", {{"Authorization", "Bearer " + key}}).status, 200);
    EXPECT_EQ(get(server, "/api/v1/sites", {{"Authorization", "Bearer nope"}}).status, 401);
}

TEST(ServerBinary, HealthReadinessAndMetrics) {
    TestDatabase database(TestDatabase::Schema::Empty);
    ServerProcess server(database.url());  // applies the migrations itself
    auto health = get(server, "/healthz");
    EXPECT_EQ(health.status, 200);
    auto ready = get(server, "/readyz");
    EXPECT_EQ(ready.status, 200) << ready.body;
    EXPECT_FALSE(ready.header("X-Request-Id").empty());
    auto missing = get(server, "/no/such/route");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.header("Content-Type"), "application/problem+json");

    auto metrics = get(server, "/metrics");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.header("Content-Type").find("text/plain"), std::string::npos);
    EXPECT_NE(metrics.body.find("route=\"/healthz\""), std::string::npos) << metrics.body;
    EXPECT_NE(metrics.body.find("vg_db_pool_open"), std::string::npos);
    EXPECT_NE(metrics.body.find("vg_build_info"), std::string::npos);
    // The media engine's series, present (at zero) before any call.
    EXPECT_NE(metrics.body.find("vg_media_participants 0"), std::string::npos) << metrics.body;
    EXPECT_NE(metrics.body.find("vg_media_rtp_packets_total{direction=\"in\"} 0"),
              std::string::npos);
    EXPECT_NE(metrics.body.find("# TYPE vg_media_nack_requests_total counter"), std::string::npos);
    EXPECT_NE(metrics.body.find("vg_media_retransmissions_total 0"), std::string::npos);
}

TEST(ServerBinary, BootstrapAdminKeyWorks) {
    TestDatabase database;
    std::string key = "bootstrap-key-for-the-tests-0123456789";
    ServerProcess server(database.url(), {{"VISIOGUICHET_BOOTSTRAP_ADMIN_KEY", key}});
    EXPECT_EQ(get(server, "/api/v1/sites", {{"Authorization", "Bearer " + key}}).status, 200);
}

TEST(ServerBinary, ReadinessFollowsTheDatabaseThroughARestart) {
    TestCluster cluster;
    ServerProcess server(cluster.url(), {{"VISIOGUICHET_DB_POOL_SIZE", "2"}});
    ASSERT_TRUE(eventually_status(server, "/readyz", 200, 10s)) << server.output();

    cluster.stop();
    auto down = get(server, "/readyz");
    EXPECT_EQ(down.status, 503) << down.body;
    EXPECT_EQ(down.header("Content-Type"), "application/problem+json");
    EXPECT_FALSE(down.header("Retry-After").empty());
    EXPECT_EQ(get(server, "/healthz").status, 200);  // the process itself is fine

    cluster.start();
    EXPECT_TRUE(eventually_status(server, "/readyz", 200, 20s)) << server.output();
}

TEST(ServerBinary, SigtermStopsCleanlyWithinTenSeconds) {
    TestDatabase database;
    ServerProcess server(database.url());
    ASSERT_EQ(get(server, "/healthz").status, 200);
    server.signal(SIGTERM);
    auto status = server.wait_exit(10s);
    ASSERT_TRUE(status.has_value()) << "still running 10 s after SIGTERM\n" << server.output();
    EXPECT_EQ(*status, 0) << server.output();
    EXPECT_FALSE(can_connect("127.0.0.1", server.http_port()));
}

TEST(ServerBinary, TwoServersStartingTogetherApplyEachMigrationOnce) {
    TestDatabase database(TestDatabase::Schema::Empty);
    auto a = std::async(std::launch::async,
                        [&] { return std::make_unique<ServerProcess>(database.url()); });
    auto b = std::async(std::launch::async,
                        [&] { return std::make_unique<ServerProcess>(database.url()); });
    auto first = a.get();
    auto second = b.get();
    // Generous: on a loaded machine one server waits for the other's migrations.
    EXPECT_TRUE(eventually_status(*first, "/readyz", 200, 30s)) << first->output();
    EXPECT_TRUE(eventually_status(*second, "/readyz", 200, 30s)) << second->output();
    EXPECT_EQ(query_one(database.url(),
                        "SELECT count(*) = count(DISTINCT version) FROM schema_migrations"),
              "t");
}

}  // namespace
}  // namespace vg::test
