// PostgreSQL stops and starts again while clients keep using the real server: readers, a
// scheduler booking slot after slot, a booth walking in and leaving, an agent taking calls.
//   - every request is answered within a bound, 2xx or 503 with Retry-After (never a 500, never
//     a hang); the only 409 allowed is the agent's claim while still in wrap-up, answered as
//     the API says;
//   - nothing is half-written: the database's invariants hold afterwards, every booking answered
//     201 is there, and each booking answered 503 replayed with its Idempotency-Key books once;
//   - full service (every kind of request answered 2xx again) comes back within seconds of the
//     database's return, without restarting the server; the seconds are printed.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "db/Connection.hpp"
#include "integration/ServerProcess.hpp"
#include "integration/faults/Invariants.hpp"
#include "integration/faults/RestClient.hpp"
#include "support/TestCluster.hpp"

namespace vg::test::faults {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kAdminKey = "bootstrap-key-for-the-database-outage-0123456789";
constexpr auto kAnswerBound = 5s;  // no answer within this: the server hung
constexpr int kDaysAhead = 30;

// What every client thread saw, shared under a lock.
class Tally {
  public:
    // Records one answer (or its absence: status 0) of a kind of request.
    void record(const std::string& kind, int status, bool retry_after, Clock::duration took) {
        std::lock_guard lock(mutex_);
        ++counts_[kind + " " + std::to_string(status)];
        slowest_ = std::max(slowest_, took);
        if (status == 503 && !retry_after) bad_.push_back(kind + ": 503 without Retry-After");
        bool allowed = (status >= 200 && status < 300) || status == 503 ||
                       (status == 409 && (kind == "claim-next" || kind == "presence"));
        if (!allowed) bad_.push_back(kind + ": answered " + std::to_string(status));
        if (status >= 200 && status < 300 && first_ok_[kind] < since_)
            first_ok_[kind] = Clock::now();
    }
    void fail(const std::string& what) {
        std::lock_guard lock(mutex_);
        bad_.push_back(what);
    }
    // From now on, first_ok() counts 2xx answers only from this instant.
    void restart_count(Clock::time_point since) {
        std::lock_guard lock(mutex_);
        since_ = since;
    }
    // When every kind had had a 2xx answer again since restart_count(), if all have.
    std::optional<Clock::time_point> full_service(const std::set<std::string>& kinds) {
        std::lock_guard lock(mutex_);
        Clock::time_point latest = since_;
        for (const auto& kind : kinds) {
            auto found = first_ok_.find(kind);
            if (found == first_ok_.end() || found->second < since_) return std::nullopt;
            latest = std::max(latest, found->second);
        }
        return latest;
    }
    std::vector<std::string> bad() {
        std::lock_guard lock(mutex_);
        return bad_;
    }
    std::string summary() {
        std::lock_guard lock(mutex_);
        std::string text;
        for (const auto& [what, count] : counts_)
            text += what + ": " + std::to_string(count) + "\n";
        text += "slowest answer: " +
                std::to_string(
                    std::chrono::duration_cast<std::chrono::milliseconds>(slowest_).count()) +
                " ms\n";
        return text;
    }

  private:
    std::mutex mutex_;
    std::map<std::string, int> counts_;
    std::map<std::string, Clock::time_point> first_ok_;
    std::vector<std::string> bad_;
    Clock::duration slowest_{};
    Clock::time_point since_{};
};

// One request of the load, recorded; nullopt when it got no answer within the bound.
std::optional<RestAnswer> send(Tally& tally, const RestClient& rest, const std::string& kind,
                               const std::string& method, const std::string& path,
                               const std::string& token, const json& body = nullptr,
                               HttpHeaders headers = {}) {
    auto start = Clock::now();
    try {
        auto answer = rest.call(method, path, token, body, headers, kAnswerBound);
        tally.record(kind, answer.status, !answer.retry_after.empty(), Clock::now() - start);
        return answer;
    } catch (const std::exception& e) {
        tally.record(kind, 0, false, Clock::now() - start);
        tally.fail(kind + ": no answer (" + e.what() + ")");
        return std::nullopt;
    }
}

struct Booking {
    std::string key;
    json body;
    int status = 0;
    std::string id;
};

TEST(DatabaseOutageUnderLoad, AnswersStay2xxOr503AndNothingIsHalfWritten) {
    auto started = Clock::now();
    TestCluster cluster;
    ServerProcess server(cluster.url(), {{"VISIOGUICHET_BOOTSTRAP_ADMIN_KEY", kAdminKey},
                                         {"VISIOGUICHET_WRAP_UP_SECONDS", "0"},
                                         {"VISIOGUICHET_PRESENCE_GRACE_SECONDS", "600"}});
    RestClient rest(server.http_port());
    // One world for the booth that walks in and leaves, one for the calls (5-minute slots for
    // the bookings, far ahead so that every one is in the future).
    auto walker = make_world(rest, kAdminKey, "W");
    auto caller = make_world(rest, kAdminKey, "C", 5);
    rest.expect(200, "PUT", "/agents/me/presence", caller.agent_token, {{"state", "available"}});

    Tally tally;
    std::atomic<bool> stop{false};
    std::vector<Booking> bookings;
    const std::set<std::string> kinds = {"sites",       "appointments", "book",
                                         "booth-state", "walk-in",      "leave",
                                         "claim-next",  "accept",       "end"};
    auto bounded = [&stop, started] { return !stop && Clock::now() - started < 90s; };
    auto pause = [] { std::this_thread::sleep_for(20ms); };

    std::vector<std::thread> clients;
    clients.emplace_back([&] {  // reads
        while (bounded()) {
            send(tally, rest, "sites", "GET", "/sites", kAdminKey);
            send(tally, rest, "appointments", "GET",
                 "/appointments?site_id=" + caller.site_id + "&date=" + utc_date(kDaysAhead),
                 kAdminKey);
            pause();
        }
    });
    clients.emplace_back([&] {  // bookings, one per slot from a month ahead on
        for (int n = 0; bounded() && n < 2000; ++n) {
            Booking booking;
            booking.key = "outage-" + std::to_string(n);
            // 287 five-minute slots a day: 00:00 to 23:50 (the window ends at 23:59).
            int day = n / 287, minutes = (n % 287) * 5;
            char starts_at[32];
            std::snprintf(starts_at, sizeof starts_at, "%sT%02d:%02d:00Z",
                          utc_date(kDaysAhead + day).c_str(), minutes / 60, minutes % 60);
            booking.body = {{"site_id", caller.site_id},
                            {"service_id", caller.service_id},
                            {"starts_at", starts_at},
                            {"citizen", {{"name", "Jean Tremblay"}, {"language", "fr"}}}};
            auto answer = send(tally, rest, "book", "POST", "/appointments", kAdminKey,
                               booking.body, {{"Idempotency-Key", booking.key}});
            if (answer) booking.status = answer->status;
            if (answer && answer->status == 201) booking.id = answer->body.value("id", "");
            bookings.push_back(booking);
            pause();
        }
    });
    clients.emplace_back([&] {  // a booth: walk in, leave, again
        while (bounded()) {
            auto state =
                send(tally, rest, "booth-state", "GET", "/booth/state", walker.booth_token);
            if (state && state->status == 200) {
                if (state->body.value("state", "") == "idle")
                    send(tally, rest, "walk-in", "POST", "/booth/walk-in", walker.booth_token,
                         {{"service_id", walker.service_id}, {"language", "fr"}});
                else
                    send(tally, rest, "leave", "POST", "/booth/leave", walker.booth_token);
            }
            pause();
        }
    });
    clients.emplace_back([&] {  // calls: walk in, claim, accept, end, again
        while (bounded()) {
            auto state =
                send(tally, rest, "booth-state", "GET", "/booth/state", caller.booth_token);
            if (!state || state->status != 200) {
                pause();
                continue;
            }
            auto where = state->body.value("state", "");
            if (where == "idle") {
                send(tally, rest, "walk-in", "POST", "/booth/walk-in", caller.booth_token,
                     {{"service_id", caller.service_id}, {"language", "fr"}});
            } else if (where == "waiting") {
                auto claimed = send(tally, rest, "claim-next", "POST", "/queue/claim-next",
                                    caller.agent_token);
                if (claimed && claimed->status == 200)
                    send(tally, rest, "accept", "POST",
                         "/queue/" + claimed->body.value("id", "") + "/accept", caller.agent_token);
                else if (claimed && claimed->status == 409)  // still in wrap-up
                    send(tally, rest, "presence", "PUT", "/agents/me/presence", caller.agent_token,
                         {{"state", "available"}});
            } else if (state->body.contains("session_id")) {
                send(tally, rest, "end", "POST",
                     "/sessions/" + state->body.value("session_id", "") + "/end",
                     caller.agent_token, {{"outcome", "served"}});
            }
            pause();
        }
    });

    std::this_thread::sleep_for(3s);
    cluster.stop();
    auto down = Clock::now();
    std::this_thread::sleep_for(3s);
    cluster.start();
    auto back = Clock::now();
    tally.restart_count(back);
    std::cout << "PostgreSQL was down for "
              << std::chrono::duration_cast<std::chrono::milliseconds>(back - down).count()
              << " ms\n";
    std::optional<Clock::time_point> full;
    while (!full && Clock::now() - back < 30s) {
        std::this_thread::sleep_for(50ms);
        full = tally.full_service(kinds);
    }
    std::this_thread::sleep_for(2s);  // steady service again
    stop = true;
    for (auto& client : clients) client.join();
    std::cout << tally.summary();
    ASSERT_TRUE(full) << "some kind of request was never answered 2xx again\n" << tally.summary();
    double seconds = std::chrono::duration<double>(*full - back).count();
    std::printf("full service %.2f s after PostgreSQL came back\n", seconds);
    EXPECT_LT(seconds, 10.0);
    EXPECT_EQ(tally.bad(), std::vector<std::string>{});

    // Nothing half-written.
    EXPECT_EQ(inconsistencies(cluster.url()), std::vector<std::string>{});
    db::Connection db(cluster.url());
    int answered_503 = 0;
    for (const auto& booking : bookings) {
        if (booking.status == 201) {
            EXPECT_EQ(db.exec("SELECT 1 FROM appointments WHERE id = $1", {booking.id}).rows(), 1)
                << "booking " << booking.key << " was answered 201 and is not there";
        } else {
            // Replayed with its key: booked once, whether or not the first try was.
            ++answered_503;
            auto again = rest.call("POST", "/appointments", kAdminKey, booking.body,
                                   {{"Idempotency-Key", booking.key}});
            EXPECT_EQ(again.status, 201) << booking.key << ": " << again.raw;
        }
    }
    auto booked = db.exec("SELECT count(*) FROM appointments WHERE site_id = $1", {caller.site_id});
    EXPECT_EQ(std::stoul(std::string(booked.get(0, 0))), bookings.size());
    std::cout
        << bookings.size() << " bookings, " << answered_503
        << " of them answered 503 and replayed; test took "
        << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count()
        << " ms\n";
}

}  // namespace
}  // namespace vg::test::faults
