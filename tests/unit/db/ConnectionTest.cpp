#include <gtest/gtest.h>

#include <stdexcept>

#include "db/Connection.hpp"
#include "support/TestDatabase.hpp"

namespace vg::db {
namespace {

class ConnectionTest : public ::testing::Test {
  protected:
    test::TestDatabase database{test::TestDatabase::Schema::Empty};
    Connection connection{database.url()};
};

TEST_F(ConnectionTest, ParametersTravelAsValuesAndNullsStayNull) {
    connection.exec("CREATE TABLE booth (id int PRIMARY KEY, name text, site text)");
    const std::string hostile = "Guichet'); DROP TABLE booth; --";
    const auto inserted =
        connection.exec("INSERT INTO booth (id, name, site) VALUES ($1, $2, $3), ($4, $5, $6)",
                        {"1", hostile, std::nullopt, "2", "", "Lyon"});
    EXPECT_EQ(inserted.affected_rows(), 2u);

    const auto rows = connection.exec("SELECT id, name, site FROM booth ORDER BY id");
    ASSERT_EQ(rows.rows(), 2);
    ASSERT_EQ(rows.columns(), 3);
    EXPECT_EQ(rows.get(0, "name"), hostile);
    EXPECT_TRUE(rows.is_null(0, 2));
    EXPECT_EQ(rows.optional(0, "site"), std::nullopt);
    EXPECT_FALSE(rows.is_null(1, 1));  // empty string is not NULL
    EXPECT_EQ(rows.optional(1, "name"), std::optional<std::string>(""));
    EXPECT_EQ(rows.get(1, "site"), "Lyon");
    EXPECT_EQ(rows.get(1, 0), "2");
    EXPECT_THROW(rows.column_index("missing"), std::out_of_range);
    EXPECT_THROW(rows.get(2, 0), std::out_of_range);

    const auto null_param = connection.exec("SELECT $1::text IS NULL", {std::nullopt});
    EXPECT_EQ(null_param.get(0, 0), "t");
}

TEST_F(ConnectionTest, RefusedStatementCarriesSqlstateAndConstraint) {
    connection.exec("CREATE TABLE agent (id int, email text CONSTRAINT agent_email_key UNIQUE)");
    connection.exec("INSERT INTO agent VALUES (1, $1)", {"a@example.org"});
    try {
        connection.exec("INSERT INTO agent VALUES (2, $1)", {"a@example.org"});
        FAIL() << "duplicate accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.sqlstate(), "23505");
        EXPECT_EQ(e.constraint(), "agent_email_key");
    }
    try {
        connection.exec("SELECT * FROM no_such_table");
        FAIL() << "unknown table accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.sqlstate(), "42P01");
    }
    EXPECT_TRUE(connection.ok());  // a refused statement does not break the connection
    EXPECT_EQ(connection.exec("SELECT 1").get(0, 0), "1");
}

TEST_F(ConnectionTest, TransactionRollsBackWhenItsBodyThrows) {
    connection.exec("CREATE TABLE appointment (id int)");
    EXPECT_THROW(connection.transaction([](Connection& c) {
        c.exec("INSERT INTO appointment VALUES (1)");
        throw std::runtime_error("slot taken");
    }),
                 std::runtime_error);
    EXPECT_EQ(connection.exec("SELECT count(*) FROM appointment").get(0, 0), "0");

    const int id = connection.transaction([](Connection& c) {
        c.exec("INSERT INTO appointment VALUES (7)");
        return 7;
    });
    EXPECT_EQ(id, 7);
    EXPECT_EQ(connection.exec("SELECT count(*) FROM appointment").get(0, 0), "1");
}

TEST_F(ConnectionTest, ScriptRunsSeveralStatements) {
    connection.exec_script(
        "CREATE TABLE site (id int); INSERT INTO site VALUES (1); "
        "INSERT INTO site VALUES (2);");
    EXPECT_EQ(connection.exec("SELECT sum(id) FROM site").get(0, 0), "3");
    EXPECT_THROW(connection.exec("SELECT 1; SELECT 2"), Error);  // exec is one statement only
}

TEST_F(ConnectionTest, TerminatedConnectionIsUnavailable) {
    Connection admin(database.url());
    const std::string pid(connection.exec("SELECT pg_backend_pid()").get(0, 0));
    admin.exec("SELECT pg_terminate_backend($1::int)", {pid});
    EXPECT_THROW(connection.exec("SELECT 1"), Unavailable);
    EXPECT_FALSE(connection.ok());
    EXPECT_THROW(connection.exec("SELECT 1"), Unavailable);
}

TEST(Connection, UnreachableServerIsUnavailable) {
    // Port 1 on loopback: nothing listens there, the connect is refused at once.
    EXPECT_THROW(Connection("postgresql://postgres@127.0.0.1:1/postgres", 2), Unavailable);
}

}  // namespace
}  // namespace vg::db
