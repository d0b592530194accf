// Guessing in parallel: many wrong check-in codes at once from one booth, many wrong passwords at
// once for one account, through the real server. The limits (5 wrong codes in 10 minutes per
// booth, 10 failed logins in 15 minutes per account) must hold however the guesses are spread
// over connections: each guess beyond the limit is answered 429 and learns nothing. (Logins are
// limited per client address first, 5 failures; tests/api/LoginLimitsTest.cpp checks the limit
// per e-mail and that the owner on another client still gets in.)
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <iostream>
#include <map>
#include <vector>

#include "common/Secret.hpp"
#include "db/Connection.hpp"
#include "integration/ServerProcess.hpp"
#include "integration/faults/RestClient.hpp"
#include "support/TestDatabase.hpp"

namespace vg::test::faults {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::string kAdminKey = "bootstrap-key-for-the-guessing-test-0123456789";
constexpr int kGuesses = 24;

// Sends every request at once (one thread and one connection each, released together); the
// count of answers by status.
std::map<int, int> all_at_once(const RestClient& rest, const std::string& path,
                               const std::string& token, const std::vector<json>& bodies) {
    std::promise<void> go;
    std::shared_future<void> ready = go.get_future().share();
    std::vector<std::future<int>> answers;
    for (const auto& body : bodies)
        answers.push_back(std::async(std::launch::async, [&rest, &path, &token, body, ready] {
            ready.wait();
            return rest.call("POST", path, token, body, {}, std::chrono::seconds(30)).status;
        }));
    go.set_value();
    std::map<int, int> statuses;
    for (auto& answer : answers) ++statuses[answer.get()];
    return statuses;
}

std::string describe(const std::map<int, int>& statuses) {
    std::string text;
    for (const auto& [status, count] : statuses)
        text += std::to_string(count) + " x " + std::to_string(status) + "  ";
    return text;
}

long long count_rows(const std::string& url, const std::string& sql, const std::string& id) {
    db::Connection db(url);
    return std::stoll(std::string(db.exec(sql, {id}).get(0, 0)));
}

class ConcurrentGuesses : public ::testing::Test {
  protected:
    void SetUp() override {
        started_ = Clock::now();
        database_ = std::make_unique<TestDatabase>(TestDatabase::Schema::Empty);
        server_ = std::make_unique<ServerProcess>(
            database_->url(),
            std::map<std::string, std::string>{{"VISIOGUICHET_BOOTSTRAP_ADMIN_KEY", kAdminKey},
                                               {"VISIOGUICHET_HTTP_THREADS", "8"},
                                               {"VISIOGUICHET_DB_POOL_SIZE", "16"}});
        rest_ = std::make_unique<RestClient>(server_->http_port());
        world_ = make_world(*rest_, kAdminKey, "G");
    }
    void TearDown() override {
        std::cout << "test took "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_)
                         .count()
                  << " ms\n";
    }

    Clock::time_point started_;
    std::unique_ptr<TestDatabase> database_;
    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<RestClient> rest_;
    World world_;
};

TEST_F(ConcurrentGuesses, NoMoreThanFiveWrongCheckInCodesFromOneBoothAreAnswered) {
    std::vector<json> guesses;
    for (int i = 0; i < kGuesses; ++i) {
        std::string code = "ZZZ2" + std::string(1, static_cast<char>('A' + i % 26)) + "2";
        guesses.push_back({{"code", code}});
    }
    auto statuses = all_at_once(*rest_, "/booth/check-in", world_.booth_token, guesses);
    std::cout << kGuesses << " wrong codes at once: " << describe(statuses) << "\n";
    EXPECT_EQ(statuses[404], 5) << describe(statuses);
    EXPECT_EQ(statuses[429], kGuesses - 5) << describe(statuses);
    EXPECT_EQ(count_rows(database_->url(),
                         "SELECT count(*) FROM check_in_attempts WHERE booth_id = $1 "
                         "AND NOT succeeded",
                         world_.booth_id),
              5);
    // Still refused afterwards, whatever the code.
    EXPECT_EQ(
        rest_->call("POST", "/booth/check-in", world_.booth_token, {{"code", "ABC234"}}).status,
        429);
}

TEST_F(ConcurrentGuesses, NoMoreThanFiveWrongPasswordsFromOneClientAreAnswered) {
    // The agent's password hashed with few iterations, so that the guesses race on the counter
    // and not on the CPU; the login path reads the iterations from the stored hash.
    {
        db::Connection db(database_->url());
        db.exec("UPDATE agents SET password_hash = $2 WHERE id = $1",
                {world_.agent_id, common::secret::hash_password(kAgentPassword, 1000)});
    }
    std::vector<json> guesses;
    for (int i = 0; i < kGuesses; ++i)
        guesses.push_back(
            {{"email", world_.agent_email}, {"password", "wrong guess " + std::to_string(i)}});
    auto statuses = all_at_once(*rest_, "/auth/login", "", guesses);
    std::cout << kGuesses << " wrong passwords at once: " << describe(statuses) << "\n";
    EXPECT_EQ(statuses[401], 5) << describe(statuses);
    EXPECT_EQ(statuses[429], kGuesses - 5) << describe(statuses);
    EXPECT_EQ(count_rows(database_->url(),
                         "SELECT count(*) FROM audit_events WHERE object_id = $1 "
                         "AND action = 'agent.login_failed'",
                         world_.agent_id),
              5);
    // No lockout: this client waits 1 s after its last failure, then 2, 4, ... (deterministic
    // with a moved clock in tests/api/LoginLimitsTest.cpp); after its wait, the right password
    // opens the account, before it the answer is 429 with the wait in Retry-After.
    auto right = rest_->call("POST", "/auth/login", "",
                             {{"email", world_.agent_email}, {"password", kAgentPassword}});
    if (right.status == 429)
        EXPECT_FALSE(right.retry_after.empty());
    else
        EXPECT_EQ(right.status, 200) << right.raw;
}

}  // namespace
}  // namespace vg::test::faults
