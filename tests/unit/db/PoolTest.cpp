#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "db/Pool.hpp"
#include "support/TestCluster.hpp"
#include "support/TestDatabase.hpp"

namespace vg::db {
namespace {

using namespace std::chrono_literals;

// The outcome of one job: its value, or the exception its on_error got.
struct Outcome {
    std::string value;
    std::exception_ptr error;
};

std::future<Outcome> run(Pool& pool, std::string sql) {
    auto promise = std::make_shared<std::promise<Outcome>>();
    auto future = promise->get_future();
    pool.submit(
        [promise, sql](Connection& c) {
            const Result result = c.exec(sql);
            promise->set_value({result.rows() > 0 ? std::string(result.get(0, 0)) : "", {}});
        },
        [promise](std::exception_ptr error) {
            promise->set_value({{}, error});
        });
    return future;
}

template <typename E>
bool holds(const Outcome& outcome) {
    if (!outcome.error) return false;
    try {
        std::rethrow_exception(outcome.error);
    } catch (const E&) {
        return true;
    } catch (...) {
        return false;
    }
}

TEST(Pool, RunsJobsOnItsOwnThreadsAndCountsThem) {
    test::TestDatabase database(test::TestDatabase::Schema::Empty);
    Pool pool({.conninfo = database.url(), .size = 2});
    std::promise<std::thread::id> ran_on;
    pool.submit(
        [&](Connection& c) {
            c.exec("SELECT 1");
            ran_on.set_value(std::this_thread::get_id());
        },
        [](std::exception_ptr) {});
    auto id = ran_on.get_future();
    ASSERT_EQ(id.wait_for(10s), std::future_status::ready);
    EXPECT_NE(id.get(), std::this_thread::get_id());

    auto failing = run(pool, "SELECT * FROM no_such_table");
    ASSERT_EQ(failing.wait_for(10s), std::future_status::ready);
    EXPECT_TRUE(holds<Error>(failing.get()));

    pool.stop();
    const PoolStats stats = pool.stats();
    EXPECT_EQ(stats.size, 2u);
    EXPECT_EQ(stats.completed, 1u);
    EXPECT_EQ(stats.failed, 1u);
    EXPECT_EQ(stats.busy, 0u);
    EXPECT_EQ(stats.queued, 0u);
    EXPECT_EQ(stats.open, 0u);  // stop closed them
}

TEST(Pool, ReportsOpenConnectionsAndBusyJobs) {
    test::TestDatabase database(test::TestDatabase::Schema::Empty);
    Pool pool({.conninfo = database.url(), .size = 3});
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> started = 0;
    for (int i = 0; i < 2; ++i) {
        pool.submit(
            [&, released](Connection&) {
                ++started;
                released.wait();
            },
            [](std::exception_ptr) {});
    }
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while ((started < 2 || pool.stats().open < 3) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
    }
    const PoolStats stats = pool.stats();
    EXPECT_EQ(stats.open, 3u);
    EXPECT_EQ(stats.busy, 2u);
    release.set_value();
}

TEST(Pool, FullQueueRefusesWithoutBlocking) {
    test::TestDatabase database(test::TestDatabase::Schema::Empty);
    Pool pool({.conninfo = database.url(), .size = 1, .max_queue = 2});
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> started;
    pool.submit(
        [&, released](Connection&) {
            started.set_value();
            released.wait();
        },
        [](std::exception_ptr) {});
    started.get_future().wait();  // the one thread is busy: what follows waits in the queue
    auto first = run(pool, "SELECT 1");
    auto second = run(pool, "SELECT 2");
    const auto before = std::chrono::steady_clock::now();
    auto third = run(pool, "SELECT 3");
    ASSERT_EQ(third.wait_for(0s), std::future_status::ready);  // refused at once
    EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
    EXPECT_TRUE(holds<Unavailable>(third.get()));
    EXPECT_EQ(pool.stats().queued, 2u);
    EXPECT_EQ(pool.stats().refused, 1u);
    release.set_value();
    EXPECT_EQ(first.get().value, "1");
    EXPECT_EQ(second.get().value, "2");
}

TEST(Pool, StopFinishesQueuedJobsThenRefuses) {
    test::TestDatabase database(test::TestDatabase::Schema::Empty);
    Pool pool({.conninfo = database.url(), .size = 1});
    std::vector<std::future<Outcome>> jobs;
    for (int i = 0; i < 5; ++i) jobs.push_back(run(pool, "SELECT pg_sleep(0.02)::text || 'done'"));
    pool.stop();
    for (auto& job : jobs) {
        ASSERT_EQ(job.wait_for(0s), std::future_status::ready);
        EXPECT_EQ(job.get().value, "done");
    }
    auto late = run(pool, "SELECT 1");
    ASSERT_EQ(late.wait_for(0s), std::future_status::ready);
    EXPECT_TRUE(holds<Unavailable>(late.get()));
}

TEST(Pool, StatementTimeoutStopsSlowStatements) {
    test::TestDatabase database(test::TestDatabase::Schema::Empty);
    Pool pool({.conninfo = database.url(), .size = 1, .statement_timeout_ms = 100});
    const auto before = std::chrono::steady_clock::now();
    auto slow = run(pool, "SELECT pg_sleep(5)::text");
    ASSERT_EQ(slow.wait_for(10s), std::future_status::ready);
    EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
    const Outcome outcome = slow.get();
    ASSERT_TRUE(holds<Error>(outcome));
    try {
        std::rethrow_exception(outcome.error);
    } catch (const Error& e) {
        EXPECT_EQ(e.sqlstate(), "57014");
    }
    EXPECT_EQ(run(pool, "SELECT 'still usable'").get().value, "still usable");
}

TEST(Pool, TransactionLeftOpenByAJobIsRolledBack) {
    test::TestDatabase database(test::TestDatabase::Schema::Empty);
    Pool pool({.conninfo = database.url(), .size = 1});
    EXPECT_EQ(run(pool, "CREATE TABLE queue_entry (id int)").get().error, nullptr);
    std::promise<void> done;
    pool.submit(
        [&](Connection& c) {
            c.exec("BEGIN");
            c.exec("INSERT INTO queue_entry VALUES (1)");
            done.set_value();
        },
        [](std::exception_ptr) {});
    done.get_future().wait();
    EXPECT_EQ(run(pool, "SELECT count(*)::text FROM queue_entry").get().value, "0");
}

TEST(Pool, ReplacesAConnectionTheServerClosedWithoutFailingTheJob) {
    test::TestDatabase database(test::TestDatabase::Schema::Empty);
    Pool pool({.conninfo = database.url(), .size = 1});
    const std::string first = run(pool, "SELECT pg_backend_pid()::text").get().value;
    ASSERT_FALSE(first.empty());
    Connection admin(database.url());
    admin.exec("SELECT pg_terminate_backend($1::int)", {first});
    // Once the backend is gone, its goodbye is on the idle connection's socket.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (admin.exec("SELECT 1 FROM pg_stat_activity WHERE pid = $1::int", {first}).rows() > 0 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
    }
    const Outcome next = run(pool, "SELECT pg_backend_pid()::text").get();
    EXPECT_EQ(next.error, nullptr);
    EXPECT_NE(next.value, first);
    EXPECT_EQ(pool.stats().open, 1u);
}

TEST(Pool, SurvivesDatabaseRestart) {
    test::TestCluster cluster;
    Pool pool({.conninfo = cluster.url(), .size = 2, .connect_timeout_seconds = 2});
    EXPECT_EQ(run(pool, "SELECT 'before'").get().value, "before");

    cluster.stop();
    for (int i = 0; i < 4; ++i) {
        auto during = run(pool, "SELECT 'during'");
        ASSERT_EQ(during.wait_for(10s), std::future_status::ready);
        EXPECT_TRUE(holds<Unavailable>(during.get()));
    }

    cluster.start();
    // The pool waits a moment before reconnecting after a failure; then every job succeeds.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    std::string value;
    while (value != "after" && std::chrono::steady_clock::now() < deadline) {
        value = run(pool, "SELECT 'after'").get().value;
        if (value != "after") std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(value, "after");
    for (int i = 0; i < 10; ++i) EXPECT_EQ(run(pool, "SELECT 'again'").get().value, "again");
}

}  // namespace
}  // namespace vg::db
