#pragma once
// The schema's history: DIR/NNNN_name.sql files applied in number order, each in its own
// transaction, each recorded in schema_migrations with the sha256 of its file. An applied file
// that changed or disappeared is an error: the database no longer matches the source tree.
#include <filesystem>
#include <string>
#include <vector>

namespace vg::db {

class Connection;

struct Migration {
    int version = 0;
    std::string file;      // "0001_sites.sql"
    std::string checksum;  // sha256 of the file, lowercase hex
    std::string sql;
};

struct MigrationStatus {
    std::vector<std::string> applied;  // files recorded in schema_migrations, in order
    std::vector<std::string> pending;  // files not applied yet, in order
    std::string problem;               // an applied file changed or is missing, else empty
    bool current = false;              // nothing pending and no problem
};

class MigrationRunner {
  public:
    // Reads DIR; throws std::runtime_error for a missing DIR, a .sql file not named NNNN_name.sql,
    // two files with one number, or a file over 4 MiB. Other files (README) are ignored.
    explicit MigrationRunner(const std::filesystem::path& dir);

    const std::vector<Migration>& migrations() const { return migrations_; }

    // Applies the pending files and returns their names. Holds an advisory lock meanwhile, so
    // servers starting together apply each file once. Throws std::runtime_error when an applied
    // file changed or is missing, db::Error (message naming the file) when a file fails, which
    // then leaves no trace; db::Unavailable.
    std::vector<std::string> apply(Connection& connection) const;

    // What apply would do, without changing anything (for /readyz). Throws db::Unavailable.
    MigrationStatus status(Connection& connection) const;

  private:
    std::filesystem::path dir_;
    std::vector<Migration> migrations_;
};

}  // namespace vg::db
