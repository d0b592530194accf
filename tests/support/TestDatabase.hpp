#pragma once
// A fresh database of its own for one test, on the cluster of admin_database_url(); dropped when
// the object goes.
#include <string>

namespace vg::test {

class TestDatabase {
  public:
    enum class Schema { Empty, Migrated };  // Migrated: the repo's migrations/ applied

    explicit TestDatabase(Schema schema = Schema::Migrated);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    const std::string& url() const { return url_; }  // libpq URI, superuser
    const std::string& name() const { return name_; }

  private:
    void drop();
    std::string admin_url_;
    std::string name_;
    std::string url_;
};

// The URI with its database name replaced.
std::string with_database(const std::string& url, const std::string& database);

}  // namespace vg::test
