#include "app/Database.hpp"

#include "common/Log.hpp"
#include "db/Connection.hpp"
#include "db/MigrationRunner.hpp"
#include "desk/ApiKeys.hpp"

namespace vg::app {

std::size_t Database::migrate(const Config& config) {
    db::MigrationRunner runner(config.migrations_dir);
    db::Connection connection(config.database_url);
    auto applied = runner.apply(connection);
    auto log = common::log::get("db");
    for (const auto& file : applied) log->info("migration applied: {}", file);
    return applied.size();
}

std::string Database::create_api_key(const Config& config, const std::string& role,
                                     const std::string& name) {
    db::Connection connection(config.database_url);
    return desk::create_api_key(connection, name, role);
}

void Database::ensure_bootstrap_admin_key(db::Connection& connection, const std::string& key) {
    desk::ensure_api_key(connection, key, "admin", "bootstrap");
}

}  // namespace vg::app
