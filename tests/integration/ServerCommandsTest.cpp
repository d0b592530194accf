// The binary as an operator uses it: commands, configuration errors, health through a database
// restart, graceful stop, concurrent starts.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
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

// `promtool check metrics` (Debian package prometheus) on exposition text.
CommandResult promtool_check_metrics(const std::string& text) {
    char name[] = "/tmp/vg-metrics-XXXXXX";
    int fd = mkstemp(name);
    close(fd);
    std::ofstream(name) << text;
    CommandResult result;
    const std::string command = std::string("promtool check metrics < ") + name + " 2>&1";
    if (FILE* pipe = popen(command.c_str(), "r")) {
        char buffer[4096];
        for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
            result.output.append(buffer, n);
        }
        int status = pclose(pipe);
        result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::remove(name);
    if (result.exit_code == 127)
        result.output += " (promtool: scripts/setup.sh installs prometheus)";
    return result;
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

// What an operator gets wrong at start: each exits 2 before anything listens, and the message
// names the setting to change.
TEST(ServerCommands, ConfigurationErrorsExitTwoAndNameTheKey) {
    const std::map<std::string, std::string> base = {
        {"VISIOGUICHET_DATABASE_URL", "postgresql://x@127.0.0.1:1/x"},
        {"VISIOGUICHET_DATABASE_WAIT_SECONDS", "0"}};
    auto with = [&](std::map<std::string, std::string> more) {
        more.insert(base.begin(), base.end());
        return run_server_command({"serve"}, more);
    };
    struct Case {
        std::map<std::string, std::string> settings;
        std::string key;
    };
    const std::vector<Case> cases = {
        // Media on every address with nothing to announce (the container's old default).
        {{{"VISIOGUICHET_RTC_ADDR", "0.0.0.0:40000"}}, "public_addr"},
        // Plain HTTP where other machines reach it.
        {{{"VISIOGUICHET_HTTP_ADDR", "198.18.0.1:8443"}}, "tls_cert_file"},
        {{{"VISIOGUICHET_HTTP_ADDR", "0.0.0.0:8080"}}, "tls_cert_file"},
        {{{"VISIOGUICHET_HTTP_ADDR", "0.0.0.0:8080"}, {"VISIOGUICHET_BEHIND_PROXY", "true"}},
         "trusted_proxies"},
        {{{"VISIOGUICHET_TRUSTED_PROXIES", "10.0.0.0/33"}}, "trusted_proxies"},
        {{{"VISIOGUICHET_TLS_CERT_FILE", "/nonexistent/cert.pem"}}, "tls_key_file"},
        {{{"VISIOGUICHET_TLS_CERT_FILE", "/nonexistent/cert.pem"},
          {"VISIOGUICHET_TLS_KEY_FILE", "/nonexistent/key.pem"}},
         "tls_cert_file"},
        {{{"VISIOGUICHET_ADMIN_ADDR", "localhost:9090"}}, "ADMIN_ADDR"},
        {{{"VISIOGUICHET_DATABASE_WAIT_SECONDS", "forever"}}, "database_wait_seconds"},
    };
    for (const auto& c : cases) {
        auto result = with(c.settings);
        EXPECT_EQ(result.exit_code, 2) << c.key << "\n" << result.output;
        EXPECT_NE(result.output.find(c.key), std::string::npos) << result.output;
        EXPECT_NE(result.output.find("configuration"), std::string::npos) << result.output;
    }
}

TEST(ServerBinary, WaitsForADatabaseThatComesUpLate) {
    TestCluster cluster;
    cluster.stop();
    // The server starts first, as a service manager or a compose file may start it.
    auto starting = std::async(std::launch::async, [&] {
        return std::make_unique<ServerProcess>(
            cluster.url(),
            std::map<std::string, std::string>{{"VISIOGUICHET_DATABASE_WAIT_SECONDS", "60"}});
    });
    std::this_thread::sleep_for(3s);
    ASSERT_EQ(starting.wait_for(0s), std::future_status::timeout)
        << "the server listened without its database";
    cluster.start();
    auto server = starting.get();
    EXPECT_TRUE(eventually_status(*server, "/readyz", 200, 20s)) << server->output();
    // Each try was logged, with the time left.
    auto log = server->output();
    EXPECT_NE(log.find("database not reachable yet (try 2"), std::string::npos) << log;
    EXPECT_NE(log.find("database reachable after"), std::string::npos) << log;
}

TEST(ServerBinary, GivesUpOnTheDatabaseAfterTheWait) {
    auto started = std::chrono::steady_clock::now();
    auto result = run_server_command(
        {"serve"},
        {{"VISIOGUICHET_DATABASE_URL",
          "postgresql://nobody@127.0.0.1:" + std::to_string(free_tcp_port()) + "/none"},
         {"VISIOGUICHET_DATABASE_WAIT_SECONDS", "2"}},
        30s);
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_NE(result.output.find("database_wait_seconds"), std::string::npos) << result.output;
    EXPECT_GE(took, 2s);
    EXPECT_LT(took, 20s);
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

    // Metrics live on the admin listener only; the public one keeps the health routes.
    EXPECT_EQ(get(server, "/metrics").status, 404);
    EXPECT_EQ(http_request("GET", "127.0.0.1", server.admin_port(), "/healthz").status, 200);
    EXPECT_EQ(http_request("GET", "127.0.0.1", server.admin_port(), "/readyz").status, 200);
    auto metrics = http_request("GET", "127.0.0.1", server.admin_port(), "/metrics");
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
    // The process, the connections and the queues.
    for (const char* series :
         {"process_cpu_seconds_total ", "process_resident_memory_bytes ", "process_open_fds ",
          "process_max_fds ", "process_start_time_seconds ",
          "vg_http_connections{protocol=\"websocket\"} 0", "vg_queue_entries{state=\"waiting\"} 0",
          "vg_queue_entries{state=\"offered\"} 0", "vg_queue_entries{state=\"accepted\"} 0"}) {
        EXPECT_NE(metrics.body.find(series), std::string::npos) << series << "\n" << metrics.body;
    }
    // What operators' tools accept: Prometheus' own checker on the live output.
    auto check = promtool_check_metrics(metrics.body);
    EXPECT_EQ(check.exit_code, 0) << check.output;
    EXPECT_EQ(check.output, "") << check.output;
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
