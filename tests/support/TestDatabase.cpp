#include "support/TestDatabase.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
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

TestDatabase::TestDatabase(Schema schema) : admin_url_(admin_database_url()) {
    if (admin_url_.empty()) throw std::runtime_error("no test database cluster");
    static std::atomic<int> counter{0};
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    name_ = "vg_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
            std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(now).count());
    url_ = with_database(admin_url_, name_);
    // The name is made here of [a-z0-9_]: safe inside the statement.
    db::Connection(admin_url_).exec("CREATE DATABASE " + name_);
    const auto dir = std::filesystem::path(source_dir()) / "migrations";
    if (schema == Schema::Empty || !std::filesystem::is_directory(dir)) return;
    try {
        db::Connection connection(url_);
        db::MigrationRunner(dir).apply(connection);
    } catch (...) {
        drop();
        throw;
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
