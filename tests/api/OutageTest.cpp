// The database goes away and comes back: answers are 503 with Retry-After meanwhile, nothing is
// half-written, and the same process serves again once PostgreSQL is back.
#include <thread>

#include "api/ApiFixture.hpp"
#include "db/MigrationRunner.hpp"
#include "support/Environment.hpp"
#include "support/TestCluster.hpp"

namespace vg::test {

using nlohmann::json;

class Outage : public ApiTest {
  protected:
    void SetUp() override {
        cluster_ = std::make_unique<TestCluster>();
        {
            db::Connection connection(cluster_->url());
            db::MigrationRunner(std::filesystem::path(source_dir()) / "migrations")
                .apply(connection);
        }
        open(cluster_->url());
    }
    void TearDown() override {
        ApiTest::TearDown();
        cluster_.reset();
    }
    std::unique_ptr<TestCluster> cluster_;
};

TEST_F(Outage, AnswersAre503WhileTheDatabaseIsDownAndServiceResumesAfter) {
    auto site = json{{"code", "NIC"}, {"name_fr", "Nicolet"}, {"name_en", "Nicolet"}};
    ASSERT_EQ(call("GET", "/api/v1/sites", admin_).status, 200);
    sql_.reset();
    cluster_->stop();
    for (int i = 0; i < 3; ++i) {
        auto r = call("POST", "/api/v1/sites", admin_, site);
        EXPECT_EQ(r.status, 503) << r.raw;
        EXPECT_FALSE(r.header("Retry-After").empty());
        EXPECT_EQ(r.content_type, "application/problem+json");
    }
    EXPECT_EQ(call("GET", "/api/v1/sites", admin_).status, 503);
    cluster_->start();
    // The pool reconnects on its next jobs: no restart.
    int status = 0;
    for (int i = 0; i < 50 && status != 200; ++i) {
        status = call("GET", "/api/v1/sites", admin_).status;
        if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_EQ(status, 200);
    auto list = call("GET", "/api/v1/sites", admin_);
    EXPECT_EQ(list.body["sites"].size(), 0u);  // the refused writes left nothing behind
    EXPECT_EQ(call("POST", "/api/v1/sites", admin_, site).status, 201);
}

}  // namespace vg::test
