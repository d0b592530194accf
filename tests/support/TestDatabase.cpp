#include "support/TestDatabase.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <sstream>
#include <stdexcept>

#include "db/Connection.hpp"
#include "db/MigrationRunner.hpp"
#include "support/Environment.hpp"

namespace vg::test {

std::string with_database(const std::string& url, const std::string& database) {
    const auto authority = url.find("://");
    if (authority == std::string::npos) throw std::invalid_argument("not a URI: " + url);
    const auto path = url.find('/', authority + 3);
    const auto query = url.find('?', authority + 3);
    if (path == std::string::npos || (query != std::string::npos && path > query)) {
        const auto end = query == std::string::npos ? url.size() : query;
        return url.substr(0, end) + "/" + database + url.substr(end);
    }
    return url.substr(0, path + 1) + database +
           (query == std::string::npos ? "" : url.substr(query));
}

namespace {

std::string unique_name(const std::string& prefix) {
    static std::atomic<int> counter{0};
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return prefix + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
           std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(now).count());
}

// A migrated database to copy from, one per set of migration files: copying it is cheaper than
// applying every migration for every test. Database names here are made of [a-z0-9_], safe
// inside statements.
std::string migrated_template(db::Connection& admin, const std::string& admin_url,
                              const db::MigrationRunner& runner) {
    std::string checksums;
    for (const auto& migration : runner.migrations()) checksums += migration.checksum;
    std::ostringstream name;
    name << "vg_template_" << std::hex << std::hash<std::string>{}(checksums);
    // Test processes started together make it once; it appears under its name only complete.
    admin.exec("SELECT pg_advisory_lock(7627384105618513922)");
    try {
        if (admin.exec("SELECT 1 FROM pg_database WHERE datname = $1", {name.str()}).rows() == 0) {
            const std::string building = unique_name("vg_building_");
            admin.exec("CREATE DATABASE " + building);
            try {
                db::Connection connection(with_database(admin_url, building));
                runner.apply(connection);
            } catch (...) {
                admin.exec("DROP DATABASE " + building + " WITH (FORCE)");
                throw;
            }
            admin.exec("ALTER DATABASE " + building + " RENAME TO " + name.str());
        }
    } catch (...) {
        admin.exec("SELECT pg_advisory_unlock(7627384105618513922)");
        throw;
    }
    admin.exec("SELECT pg_advisory_unlock(7627384105618513922)");
    return name.str();
}

}  // namespace

TestDatabase::TestDatabase(Schema schema)
    : admin_url_(admin_database_url()), name_(unique_name("vg_test_")) {
    if (admin_url_.empty()) throw std::runtime_error("no test database cluster");
    url_ = with_database(admin_url_, name_);
    db::Connection admin(admin_url_);
    const auto dir = std::filesystem::path(source_dir()) / "migrations";
    if (schema == Schema::Empty || !std::filesystem::is_directory(dir)) {
        admin.exec("CREATE DATABASE " + name_);
    } else {
        admin.exec("CREATE DATABASE " + name_ + " TEMPLATE " +
                   migrated_template(admin, admin_url_, db::MigrationRunner(dir)));
    }
}

TestDatabase::~TestDatabase() {
    drop();
}

void TestDatabase::drop() {
    try {
        db::Connection(admin_url_).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
        // A cluster that is gone takes the database with it.
    }
}

}  // namespace vg::test
