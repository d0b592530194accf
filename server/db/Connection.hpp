#pragma once
// One libpq connection (RAII over PGconn) and its results (RAII over PGresult). Parameterized
// statements only: values always travel as parameters, never inside the SQL text.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

struct pg_conn;
struct pg_result;

namespace vg::db {

// The database could not be reached or the connection broke: the caller answers 503.
class Unavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The database refused a statement: sqlstate says why ("23P01" exclusion violation, "23505"
// unique violation, "40001" serialization failure, "55P03" lock not available, ...).
class Error : public std::runtime_error {
public:
    Error(std::string sqlstate, const std::string& message, std::string constraint = {})
        : std::runtime_error(message), sqlstate_(std::move(sqlstate)),
          constraint_(std::move(constraint)) {}
    const std::string& sqlstate() const { return sqlstate_; }
    const std::string& constraint() const { return constraint_; }

private:
    std::string sqlstate_;
    std::string constraint_;
};

using Param = std::optional<std::string>;  // nullopt is SQL NULL; text format

class Result {
public:
    explicit Result(pg_result* result);  // takes ownership
    int rows() const;
    int columns() const;
    bool is_null(int row, int column) const;
    std::string_view get(int row, int column) const;  // "" for NULL
    std::string_view get(int row, std::string_view column_name) const;
    std::optional<std::string> optional(int row, std::string_view column_name) const;
    int column_index(std::string_view name) const;  // throws std::out_of_range when absent
    std::uint64_t affected_rows() const;             // of INSERT/UPDATE/DELETE

private:
    struct Deleter {
        void operator()(pg_result* r) const;
    };
    std::unique_ptr<pg_result, Deleter> result_;
};

class Connection {
public:
    // Connects; throws Unavailable.
    Connection(const std::string& conninfo, int connect_timeout_seconds = 3);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Runs one statement with $1..$n parameters. Throws Error (SQL refused) or Unavailable.
    Result exec(std::string_view sql, const std::vector<Param>& params = {});
    // Runs fn(*this) inside BEGIN ... COMMIT; ROLLBACK if it throws, and rethrows.
    template <typename Fn>
    auto transaction(Fn&& fn) -> decltype(fn(*this));
    bool ok() const;  // connection still usable
    pg_conn* native() { return conn_.get(); }

private:
    struct Deleter {
        void operator()(pg_conn* c) const;
    };
    std::unique_ptr<pg_conn, Deleter> conn_;
};

template <typename Fn>
auto Connection::transaction(Fn&& fn) -> decltype(fn(*this)) {
    exec("BEGIN");
    try {
        if constexpr (std::is_void_v<decltype(fn(*this))>) {
            fn(*this);
            exec("COMMIT");
        } else {
            auto value = fn(*this);
            exec("COMMIT");
            return value;
        }
    } catch (...) {
        if (ok()) {
            try {
                exec("ROLLBACK");
            } catch (...) {
            }
        }
        throw;
    }
}

}  // namespace vg::db
