#pragma once
// What the commands do to the database outside of request handling: migrations at start and by
// `migrate`, API keys made on the command line or from VISIOGUICHET_BOOTSTRAP_ADMIN_KEY.
#include <string>

#include "app/Config.hpp"

namespace vg::db {
class Connection;
}

namespace vg::app {

class Database {
  public:
    // Applies pending migrations from config.migrations_dir; returns how many were applied.
    static std::size_t migrate(const Config& config);
    // Makes a new random key, stores its hash, returns the key.
    static std::string create_api_key(const Config& config, const std::string& role,
                                      const std::string& name);
    // Makes sure an admin key with exactly this value exists (stored hashed; idempotent).
    static void ensure_bootstrap_admin_key(db::Connection& connection, const std::string& key);
};

}  // namespace vg::app
