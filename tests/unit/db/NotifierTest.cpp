#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "db/Connection.hpp"
#include "db/Notifier.hpp"
#include "support/TestCluster.hpp"
#include "support/TestDatabase.hpp"

namespace vg::db {
namespace {

using namespace std::chrono_literals;
using Notification = std::pair<std::string, std::string>;

// What the notifier's thread delivered, waited for from the test's thread.
class Inbox {
  public:
    void add(const std::string& channel, const std::string& payload) {
        std::lock_guard lock(mutex_);
        received_.emplace_back(channel, payload);
        changed_.notify_all();
    }
    void reconnected() {
        std::lock_guard lock(mutex_);
        ++reconnects_;
        changed_.notify_all();
    }
    // Waits until `count` notifications arrived; returns them all.
    std::vector<Notification> wait_for(std::size_t count) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, 10s, [&] { return received_.size() >= count; });
        return received_;
    }
    int wait_for_reconnect() {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, 15s, [&] { return reconnects_ > 0; });
        return reconnects_;
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Notification> received_;
    int reconnects_ = 0;
};

bool eventually(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

void notify(const std::string& url, const std::string& channel, const std::string& payload) {
    Connection(url).exec("SELECT pg_notify($1, $2)", {channel, payload});
}

TEST(Notifier, DeliversNotificationsOfItsChannelsOnly) {
    test::TestDatabase database(test::TestDatabase::Schema::Empty);
    Inbox inbox;
    Notifier notifier({.conninfo = database.url(), .channels = {"queue_entry", "Agent Presence"}},
                      [&](const std::string& channel, const std::string& payload) {
                          inbox.add(channel, payload);
                      });
    ASSERT_TRUE(eventually([&] { return notifier.listening(); }));

    notify(database.url(), "appointment", "not listened to");
    notify(database.url(), "queue_entry", R"({"id":"42"})");
    notify(database.url(), "Agent Presence", "");
    EXPECT_EQ(inbox.wait_for(2), (std::vector<Notification>{{"queue_entry", R"({"id":"42"})"},
                                                            {"Agent Presence", ""}}));
}

TEST(Notifier, ListensAgainAfterDatabaseRestart) {
    test::TestCluster cluster;
    Inbox inbox;
    Notifier notifier(
        {.conninfo = cluster.url(), .channels = {"queue_entry"}, .max_retry_delay_ms = 200},
        [&](const std::string& channel, const std::string& payload) {
            inbox.add(channel, payload);
        },
        [&] { inbox.reconnected(); });
    ASSERT_TRUE(eventually([&] { return notifier.listening(); }));
    notify(cluster.url(), "queue_entry", "before");
    EXPECT_EQ(inbox.wait_for(1).size(), 1u);

    cluster.stop();
    EXPECT_TRUE(eventually([&] { return !notifier.listening(); }));
    cluster.start();
    EXPECT_EQ(inbox.wait_for_reconnect(), 1);
    ASSERT_TRUE(eventually([&] { return notifier.listening(); }));
    notify(cluster.url(), "queue_entry", "after");
    EXPECT_EQ(inbox.wait_for(2),
              (std::vector<Notification>{{"queue_entry", "before"}, {"queue_entry", "after"}}));
}

TEST(Notifier, StopsPromptlyWhileTheDatabaseIsDown) {
    Notifier notifier(
        {.conninfo = "postgresql://postgres@127.0.0.1:1/postgres", .channels = {"queue_entry"}},
        [](const std::string&, const std::string&) {});
    std::this_thread::sleep_for(300ms);
    EXPECT_FALSE(notifier.listening());
    const auto before = std::chrono::steady_clock::now();
    notifier.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
}

}  // namespace
}  // namespace vg::db
