#include <gtest/gtest.h>

#include <barrier>
#include <filesystem>
#include <fstream>
#include <thread>

#include "db/Connection.hpp"
#include "db/MigrationRunner.hpp"
#include "support/Environment.hpp"
#include "support/TestDatabase.hpp"

namespace vg::db {
namespace {

class MigrationRunnerTest : public ::testing::Test {
  protected:
    MigrationRunnerTest() {
        char path[] = "/tmp/vg-migrations-XXXXXX";
        if (::mkdtemp(path) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir = path;
    }
    ~MigrationRunnerTest() override { std::filesystem::remove_all(dir); }

    void write(const std::string& file, const std::string& sql) {
        std::ofstream(dir / file, std::ios::binary) << sql;
    }

    std::string count(const std::string& table) {
        return std::string(connection.exec("SELECT count(*) FROM " + table).get(0, 0));
    }

    std::filesystem::path dir;
    test::TestDatabase database{test::TestDatabase::Schema::Empty};
    Connection connection{database.url()};
};

TEST_F(MigrationRunnerTest, AppliesFilesInNumberOrderAndRecordsChecksums) {
    // Written newest first: the order must come from the numbers.
    write("0010_agent_phone.sql", "ALTER TABLE agent ADD COLUMN phone text;");
    write("0002_agent_email.sql", "ALTER TABLE agent ADD COLUMN email text;");
    write("0001_agent.sql",
          "CREATE TABLE agent (id int PRIMARY KEY);\nCREATE INDEX ON agent (id);");
    write("README.md", "not a migration");

    const MigrationRunner runner(dir);
    EXPECT_EQ(runner.apply(connection),
              (std::vector<std::string>{"0001_agent.sql", "0002_agent_email.sql",
                                        "0010_agent_phone.sql"}));
    connection.exec("INSERT INTO agent (id, email, phone) VALUES (1, 'a@example.org', '0102')");

    const auto rows = connection.exec(
        "SELECT version, name, checksum, applied_at <= now() FROM schema_migrations ORDER BY 1");
    ASSERT_EQ(rows.rows(), 3);
    EXPECT_EQ(rows.get(0, "version"), "1");
    EXPECT_EQ(rows.get(2, "version"), "10");
    EXPECT_EQ(rows.get(1, "name"), "0002_agent_email.sql");
    EXPECT_EQ(rows.get(0, 3), "t");
    // The checksum is the sha256 of the file, as PostgreSQL computes it too.
    const auto expected = connection.exec("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')",
                                          {"ALTER TABLE agent ADD COLUMN phone text;"});
    EXPECT_EQ(rows.get(2, "checksum"), expected.get(0, 0));

    EXPECT_TRUE(MigrationRunner(dir).apply(connection).empty());  // nothing twice
    const MigrationStatus status = runner.status(connection);
    EXPECT_TRUE(status.current);
    EXPECT_EQ(status.applied.size(), 3u);
    EXPECT_TRUE(status.pending.empty());
}

TEST_F(MigrationRunnerTest, StatusChangesNothing) {
    write("0001_site.sql", "CREATE TABLE site (id int);");
    const MigrationStatus status = MigrationRunner(dir).status(connection);
    EXPECT_FALSE(status.current);
    EXPECT_TRUE(status.applied.empty());
    EXPECT_EQ(status.pending, std::vector<std::string>{"0001_site.sql"});
    EXPECT_EQ(connection.exec("SELECT to_regclass('schema_migrations') IS NULL").get(0, 0), "t");
}

TEST_F(MigrationRunnerTest, ChangedFileIsAnError) {
    write("0001_site.sql", "CREATE TABLE site (id int);");
    write("0002_booth.sql", "CREATE TABLE booth (id int);");
    MigrationRunner(dir).apply(connection);
    write("0002_booth.sql", "CREATE TABLE booth (id bigint);");
    write("0003_service.sql", "CREATE TABLE service (id int);");

    const MigrationRunner changed(dir);
    try {
        changed.apply(connection);
        FAIL() << "a changed migration was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("0002_booth.sql"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("changed"), std::string::npos) << e.what();
    }
    EXPECT_EQ(connection.exec("SELECT to_regclass('service') IS NULL").get(0, 0), "t");
    const MigrationStatus status = changed.status(connection);
    EXPECT_FALSE(status.current);
    EXPECT_NE(status.problem.find("0002_booth.sql"), std::string::npos);
}

TEST_F(MigrationRunnerTest, MissingFileIsAnError) {
    write("0001_site.sql", "CREATE TABLE site (id int);");
    write("0002_booth.sql", "CREATE TABLE booth (id int);");
    MigrationRunner(dir).apply(connection);
    std::filesystem::remove(dir / "0002_booth.sql");

    const MigrationRunner missing(dir);
    try {
        missing.apply(connection);
        FAIL() << "a missing migration was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("0002_booth.sql"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(missing.status(connection).current);
}

TEST_F(MigrationRunnerTest, BadFileNameIsAnError) {
    for (const std::string bad : {"1_site.sql", "0001-site.sql", "00001_site.sql", "0001_.sql",
                                  "site.sql", "0001_site two.sql"}) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directory(dir);
        write("0002_booth.sql", "CREATE TABLE booth (id int);");
        write(bad, "CREATE TABLE site (id int);");
        try {
            MigrationRunner runner(dir);
            ADD_FAILURE() << bad << " accepted";
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
        }
    }
    std::filesystem::remove_all(dir);
    std::filesystem::create_directory(dir);
    write("0001_site.sql", "CREATE TABLE site (id int);");
    write("0001_booth.sql", "CREATE TABLE booth (id int);");
    EXPECT_THROW(MigrationRunner runner(dir), std::runtime_error);  // one number twice
    EXPECT_THROW(MigrationRunner runner(dir / "absent"), std::runtime_error);
}

TEST_F(MigrationRunnerTest, FailingMigrationLeavesNothingHalfApplied) {
    write("0001_site.sql", "CREATE TABLE site (id int);");
    write("0002_booth.sql",
          "CREATE TABLE booth (id int);\nINSERT INTO site VALUES (1);\nSELECT 1 / 0;");
    write("0003_service.sql", "CREATE TABLE service (id int);");
    const MigrationRunner runner(dir);
    try {
        runner.apply(connection);
        FAIL() << "a failing migration was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.sqlstate(), "22012");  // division by zero
        EXPECT_NE(std::string(e.what()).find("0002_booth.sql"), std::string::npos) << e.what();
    }
    EXPECT_EQ(connection.exec("SELECT to_regclass('booth') IS NULL").get(0, 0), "t");
    EXPECT_EQ(connection.exec("SELECT to_regclass('service') IS NULL").get(0, 0), "t");
    EXPECT_EQ(count("site"), "0");
    EXPECT_EQ(count("schema_migrations"), "1");
    EXPECT_EQ(runner.status(connection).pending,
              (std::vector<std::string>{"0002_booth.sql", "0003_service.sql"}));

    write("0002_booth.sql", "CREATE TABLE booth (id int);");  // fixed before it ever applied
    EXPECT_EQ(MigrationRunner(dir).apply(connection).size(), 2u);
}

TEST_F(MigrationRunnerTest, TwoRunnersAtOnceApplyEachFileOnce) {
    write("0001_queue.sql", "CREATE TABLE queue_entry (migration int);");
    // Slow enough that the second runner arrives while the first is applying.
    write("0002_slow.sql", "SELECT pg_sleep(0.3);\nINSERT INTO queue_entry VALUES (2);");
    write("0003_more.sql", "INSERT INTO queue_entry VALUES (3);");
    const MigrationRunner runner(dir);

    std::barrier start(2);
    std::vector<std::string> applied[2];
    std::string failure[2];
    std::vector<std::thread> servers;
    for (int i = 0; i < 2; ++i) {
        servers.emplace_back([&, i] {
            try {
                Connection own(database.url());
                start.arrive_and_wait();
                applied[i] = runner.apply(own);
            } catch (const std::exception& e) {
                failure[i] = e.what();
            }
        });
    }
    for (auto& server : servers) server.join();
    EXPECT_EQ(failure[0], "");
    EXPECT_EQ(failure[1], "");
    EXPECT_EQ(applied[0].size() + applied[1].size(), 3u);
    EXPECT_EQ(count("schema_migrations"), "3");
    EXPECT_EQ(connection
                  .exec("SELECT string_agg(migration::text, ',' ORDER BY migration) "
                        "FROM queue_entry")
                  .get(0, 0),
              "2,3");
}

TEST(DbTestDatabase, AppliesTheRepositoryMigrationsAndDropsItself) {
    std::string name;
    {
        test::TestDatabase database;
        name = database.name();
        Connection connection(database.url());
        EXPECT_EQ(connection.exec("SELECT current_database()").get(0, 0), name);
        const MigrationRunner runner(test::source_dir() + "/migrations");
        EXPECT_TRUE(runner.status(connection).current);
        EXPECT_EQ(connection.exec("SELECT count(*) FROM schema_migrations").get(0, 0),
                  std::to_string(runner.migrations().size()));
    }
    Connection admin(test::admin_database_url());
    EXPECT_EQ(admin.exec("SELECT count(*) FROM pg_database WHERE datname = $1", {name}).get(0, 0),
              "0");
}

TEST(DbTestDatabase, UrlNamesTheDatabase) {
    EXPECT_EQ(test::with_database("postgresql://u@127.0.0.1:5432/postgres", "x"),
              "postgresql://u@127.0.0.1:5432/x");
    EXPECT_EQ(test::with_database("postgresql://u@h:1/postgres?sslmode=disable", "x"),
              "postgresql://u@h:1/x?sslmode=disable");
    EXPECT_EQ(test::with_database("postgresql://u@h:1", "x"), "postgresql://u@h:1/x");
    EXPECT_EQ(test::with_database("postgresql://u@h:1?sslmode=disable", "x"),
              "postgresql://u@h:1/x?sslmode=disable");
}

}  // namespace
}  // namespace vg::db
