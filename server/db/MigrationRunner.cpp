#include "db/MigrationRunner.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "common/Crypto.hpp"
#include "common/Log.hpp"
#include "db/Connection.hpp"

namespace vg::db {
namespace {

constexpr std::uintmax_t max_file_size = 4 * 1024 * 1024;
// pg_advisory_lock key shared by every server applying migrations to one database.
constexpr const char* lock_key = "7627384105618513921";

std::string read_file(const std::filesystem::path& path) {
    if (std::filesystem::file_size(path) > max_file_size) {
        throw std::runtime_error("migration " + path.string() + " is larger than 4 MiB");
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read migration " + path.string());
    return text.str();
}

struct Applied {
    std::string file;
    std::string checksum;
};

// The rows of schema_migrations by version; none when the table does not exist yet.
std::map<int, Applied> applied_migrations(Connection& connection) {
    std::map<int, Applied> applied;
    if (connection.exec("SELECT to_regclass('schema_migrations') IS NULL").get(0, 0) == "t") {
        return applied;
    }
    const auto rows =
        connection.exec("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
    for (int row = 0; row < rows.rows(); ++row) {
        applied[std::stoi(std::string(rows.get(row, 0)))] = {std::string(rows.get(row, 1)),
                                                             std::string(rows.get(row, 2))};
    }
    return applied;
}

}  // namespace

MigrationRunner::MigrationRunner(const std::filesystem::path& dir) : dir_(dir) {
    if (!std::filesystem::is_directory(dir)) {
        throw std::runtime_error("migrations folder " + dir.string() + " does not exist");
    }
    static const std::regex pattern("([0-9]{4})_[A-Za-z0-9_-]+\\.sql");
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string file = entry.path().filename().string();
        if (entry.path().extension() != ".sql" || file.starts_with(".")) continue;
        std::smatch match;
        if (!std::regex_match(file, match, pattern) || !entry.is_regular_file()) {
            throw std::runtime_error("migration file " + entry.path().string() +
                                     " is not named NNNN_name.sql");
        }
        const std::string sql = read_file(entry.path());
        migrations_.push_back(
            {std::stoi(match[1].str()), file, common::crypto::sha256_hex(sql), sql});
    }
    std::sort(migrations_.begin(), migrations_.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    for (std::size_t i = 1; i < migrations_.size(); ++i) {
        if (migrations_[i].version == migrations_[i - 1].version) {
            throw std::runtime_error("migrations " + migrations_[i - 1].file + " and " +
                                     migrations_[i].file + " have the same number");
        }
    }
}

MigrationStatus MigrationRunner::status(Connection& connection) const {
    MigrationStatus status;
    auto applied = applied_migrations(connection);
    for (const auto& migration : migrations_) {
        const auto found = applied.find(migration.version);
        if (found == applied.end()) {
            status.pending.push_back(migration.file);
            continue;
        }
        status.applied.push_back(migration.file);
        if (found->second.checksum != migration.checksum && status.problem.empty()) {
            status.problem = "migration " + (dir_ / migration.file).string() +
                             " changed after it was applied (recorded as " + found->second.file +
                             ")";
        }
        applied.erase(found);
    }
    if (!applied.empty() && status.problem.empty()) {
        status.problem = "migration " + applied.begin()->second.file +
                         " is applied but its file is missing from " + dir_.string();
    }
    status.current = status.pending.empty() && status.problem.empty();
    return status;
}

std::vector<std::string> MigrationRunner::apply(Connection& connection) const {
    connection.exec("SELECT pg_advisory_lock($1)", {lock_key});
    std::vector<std::string> done;
    try {
        connection.exec(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
            "name text NOT NULL, checksum text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())");
        const MigrationStatus before = status(connection);
        if (!before.problem.empty()) throw std::runtime_error(before.problem);
        for (const auto& migration : migrations_) {
            if (std::find(before.pending.begin(), before.pending.end(), migration.file) ==
                before.pending.end()) {
                continue;
            }
            try {
                connection.transaction([&](Connection& c) {
                    c.exec_script(migration.sql);
                    c.exec(
                        "INSERT INTO schema_migrations (version, name, checksum) "
                        "VALUES ($1, $2, $3)",
                        {std::to_string(migration.version), migration.file, migration.checksum});
                });
            } catch (const Error& e) {
                throw Error(e.sqlstate(), "migration " + migration.file + " failed: " + e.what(),
                            e.constraint());
            }
            common::log::get("db")->debug("applied migration {}", migration.file);
            done.push_back(migration.file);
        }
    } catch (...) {
        if (connection.ok()) {
            try {
                connection.exec("SELECT pg_advisory_unlock($1)", {lock_key});
            } catch (const std::exception&) {
            }
        }
        throw;
    }
    connection.exec("SELECT pg_advisory_unlock($1)", {lock_key});
    return done;
}

}  // namespace vg::db
