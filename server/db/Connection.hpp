#pragma once
// One libpq connection (RAII over PGconn). Parameterized statements only: values always travel as
// parameters, never inside the SQL text. One thread at a time.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "db/Error.hpp"
#include "db/Result.hpp"

struct pg_conn;

namespace vg::db {

using Param = std::optional<std::string>;  // nullopt is SQL NULL; text format

class Connection {
  public:
    // Connects (conninfo: a libpq URI or key=value string); throws Unavailable.
    explicit Connection(const std::string& conninfo, int connect_timeout_seconds = 3);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Runs one statement with $1..$n parameters. Throws Error (SQL refused) or Unavailable
    // (connection lost; ok() is then false).
    Result exec(std::string_view sql, const std::vector<Param>& params = {});
    // Runs a script of several statements without parameters (migrations only).
    void exec_script(std::string_view sql);
    // Runs fn(*this) inside BEGIN ... COMMIT; ROLLBACK if it throws, and rethrows. Not nested.
    template <typename Fn>
    auto transaction(Fn&& fn) -> decltype(fn(*this));
    bool ok() const;  // connection still usable, as far as libpq knows
    // Reads what the server sent meanwhile, so a connection the server closed (restart, idle
    // timeout) is seen as broken before a statement is sent on it. Never blocks.
    bool alive();
    pg_conn* native() { return conn_.get(); }

  private:
    Result check(pg_result* result);
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
