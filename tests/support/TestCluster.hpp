#pragma once
// A private PostgreSQL cluster for one test that stops and starts the database (a restart must
// not disturb the tests sharing admin_database_url()). Made with scripts/pg.sh in a new folder
// under /tmp, removed when the object goes.
#include <filesystem>
#include <string>

namespace vg::test {

class TestCluster {
  public:
    TestCluster();  // initialised and started; throws std::runtime_error
    ~TestCluster();
    TestCluster(const TestCluster&) = delete;
    TestCluster& operator=(const TestCluster&) = delete;

    const std::string& url() const { return url_; }  // superuser, database "postgres"
    void stop();                                     // fast shutdown: clients are disconnected
    void start();                                    // same port as before

  private:
    std::string run(const std::string& command) const;
    std::filesystem::path dir_;
    std::string url_;
};

}  // namespace vg::test
