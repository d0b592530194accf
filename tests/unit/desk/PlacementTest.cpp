// Nodes and the placement of call sessions on them, on the real database (migrations/0008).
#include <atomic>
#include <thread>
#include <vector>

#include "desk/NodeRegistry.hpp"
#include "desk/Placement.hpp"
#include "unit/desk/DeskFixture.hpp"

namespace vg::test {

class PlacementTest : public DeskTest {
  protected:
    desk::NodeIdentity node(const std::string& name) {
        return {name,   "http://" + name + ":8080", "ws://" + name + ":8080/rtc/v1", "198.18.0.1",
                "test", std::chrono::seconds(6)};
    }
    void beat(const std::string& name, bool draining = false, std::int64_t participants = 0) {
        desk::NodeRegistry::heartbeat(*db_, node(name), {0, participants, 0}, draining, true);
    }
    void lose(const std::string& name) {
        sql("UPDATE nodes SET lease_until = clock_timestamp() - interval '1 second' WHERE name = "
            "'" +
            name + "'");
    }
    // A call session as the queue starts it (the booth's walk-in, accepted by an agent of its
    // own: an agent is in one call at a time).
    std::string start_call(const std::string& booth) {
        auto entry = walk_in("2026-12-01T13:50:00Z", booth);
        auto agent = value(
            "INSERT INTO agents (email, display_name, password_hash, roles) VALUES "
            "(gen_random_uuid()::text || '@example.org', 'Bea', 'x', ARRAY['agent']) "
            "RETURNING id::text");
        return value(
            "INSERT INTO call_sessions (site_id, booth_id, agent_id, queue_entry_id, room_id) "
            "VALUES ('" +
            site_ + "', '" + booth + "', '" + agent + "', '" + entry + "', '" + entry +
            "') RETURNING id::text");
    }
    std::string host_of(const std::string& session) {
        return value("SELECT coalesce(node_name, '-') FROM call_sessions WHERE id = '" + session +
                     "'");
    }
    int placements(const std::string& session) {
        return std::stoi(
            value("SELECT placements FROM call_sessions WHERE id = '" + session + "'"));
    }
};

TEST_F(PlacementTest, HeartbeatsRegisterNodesThatAreLostWhenTheirLeasePasses) {
    beat("node-a");
    auto counts = desk::NodeRegistry::heartbeat(*db_, node("node-b"), {2, 4, 0.5}, false, true);
    EXPECT_EQ(counts.active, 2);
    EXPECT_EQ(counts.lost, 0);
    beat("node-c", true);
    lose("node-a");
    auto nodes = desk::NodeRegistry::list(*db_);
    ASSERT_EQ(nodes.size(), 3u);
    EXPECT_EQ(nodes[0].name, "node-a");
    EXPECT_EQ(nodes[0].state, "lost");
    EXPECT_EQ(nodes[1].state, "active");
    EXPECT_EQ(nodes[1].call_sessions, 2);
    EXPECT_EQ(nodes[1].participants, 4);
    EXPECT_EQ(nodes[1].public_url, "http://node-b:8080");
    EXPECT_EQ(nodes[2].state, "draining");
    counts = desk::NodeRegistry::heartbeat(*db_, node("node-b"), {}, false, false);
    EXPECT_EQ(counts.active, 1);
    EXPECT_EQ(counts.draining, 1);
    EXPECT_EQ(counts.lost, 1);
    // A heartbeat brings a lost node back; leaving ends its lease at once.
    beat("node-a");
    EXPECT_EQ(desk::NodeRegistry::list(*db_)[0].state, "active");
    desk::NodeRegistry::leave(*db_, "node-a");
    EXPECT_EQ(desk::NodeRegistry::list(*db_)[0].state, "lost");
}

TEST_F(PlacementTest, ANewCallSessionGoesToTheActiveNodeWithFewestCalls) {
    beat("node-a");
    beat("node-b");
    beat("node-c", true);  // draining: never chosen
    beat("node-d");
    lose("node-d");  // lost: never chosen
    auto first = start_call(booth_);
    EXPECT_TRUE(host_of(first) == "node-a" || host_of(first) == "node-b") << host_of(first);
    EXPECT_EQ(placements(first), 1);
    auto second = start_call(other_booth_);
    EXPECT_NE(host_of(second), host_of(first));
    EXPECT_TRUE(host_of(second) == "node-a" || host_of(second) == "node-b");
}

TEST_F(PlacementTest, WithNoActiveNodeTheSessionWaitsForItsFirstJoin) {
    auto session = start_call(booth_);
    EXPECT_EQ(host_of(session), "-");
    EXPECT_EQ(placements(session), 0);
    // The node answering the join hosts it when no registered node is active.
    auto host = desk::Placement::host(*db_, session, {"node-z", "ws://z/rtc/v1", false});
    EXPECT_EQ(host.name, "node-z");
    EXPECT_EQ(host.signaling_url, "ws://z/rtc/v1");
    EXPECT_EQ(host_of(session), "node-z");
    EXPECT_THROW(desk::Placement::host(*db_, start_call(other_booth_), {"node-z", "ws://z", true}),
                 desk::NoNodeAvailable);
}

TEST_F(PlacementTest, JoinKeepsALiveHostAndPlacesAgainWhenItIsLostOrDraining) {
    beat("node-a");
    auto session = start_call(booth_);
    ASSERT_EQ(host_of(session), "node-a");
    beat("node-b");
    auto host = desk::Placement::host(*db_, session, {"node-b", "ws://node-b:8080/rtc/v1", false});
    EXPECT_EQ(host.name, "node-a");
    EXPECT_EQ(host.signaling_url, "ws://node-a:8080/rtc/v1");
    EXPECT_FALSE(host.placed_now);

    lose("node-a");
    host = desk::Placement::host(*db_, session, {"node-a", "ws://node-a:8080/rtc/v1", false});
    EXPECT_EQ(host.name, "node-b");
    EXPECT_EQ(host.signaling_url, "ws://node-b:8080/rtc/v1");
    EXPECT_TRUE(host.placed_now);
    EXPECT_EQ(host_of(session), "node-b");
    EXPECT_EQ(placements(session), 2);

    beat("node-a");
    beat("node-b", true);
    host = desk::Placement::host(*db_, session, {"node-b", "ws://node-b:8080/rtc/v1", true});
    EXPECT_EQ(host.name, "node-a");
    EXPECT_EQ(placements(session), 3);
}

TEST_F(PlacementTest, NodesRacingToPlaceALostHostsSessionPlaceItExactlyOnce) {
    beat("node-a");
    auto session = start_call(booth_);
    beat("node-b");
    beat("node-c");
    lose("node-a");
    // Holding the session's row makes every racer wait at the same point, then all go at once.
    db::Connection holder(database_->url());
    holder.exec("BEGIN");
    holder.exec("SELECT 1 FROM call_sessions WHERE id = $1 FOR UPDATE", {session});
    constexpr int kRacers = 6;
    std::vector<desk::Host> hosts(kRacers);
    std::atomic<int> failures{0};
    std::vector<std::thread> racers;
    for (int i = 0; i < kRacers; ++i) {
        racers.emplace_back([&, i] {
            try {
                db::Connection connection(database_->url());
                std::string self = i % 2 ? "node-b" : "node-c";
                hosts[i] = desk::Placement::host(connection, session,
                                                 {self, "ws://" + self + ":8080/rtc/v1", false});
            } catch (...) {
                ++failures;
            }
        });
    }
    // Let every racer reach the lock before it is released.
    for (int tries = 0; tries < 100; ++tries) {
        auto waiting = value(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = "
            "current_database()");
        if (std::stoi(waiting) >= kRacers) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    holder.exec("COMMIT");
    for (auto& racer : racers) racer.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(placements(session), 2);  // the first placement, then exactly one more
    int placed_now = 0;
    for (const auto& host : hosts) {
        EXPECT_EQ(host.name, host_of(session));
        placed_now += host.placed_now ? 1 : 0;
    }
    EXPECT_EQ(placed_now, 1);
    EXPECT_NE(host_of(session), "node-a");
}

TEST_F(PlacementTest, ANodeLearnsAtItsNextHeartbeatThatItWasLost) {
    auto first = desk::NodeRegistry::heartbeat(*db_, node("node-a"), {}, false, true);
    EXPECT_FALSE(first.was_lost);  // new: nothing was placed elsewhere
    EXPECT_FALSE(desk::NodeRegistry::heartbeat(*db_, node("node-a"), {}, false, false).was_lost);
    lose("node-a");
    EXPECT_TRUE(desk::NodeRegistry::heartbeat(*db_, node("node-a"), {}, false, false).was_lost);
    EXPECT_FALSE(desk::NodeRegistry::heartbeat(*db_, node("node-a"), {}, false, false).was_lost);
}

TEST_F(PlacementTest, ANodeBackFromLostLetsGoOfTheSessionsPlacedElsewhereOrEnded) {
    beat("node-a");
    auto moved = start_call(booth_);
    auto ended = start_call(other_booth_);
    ASSERT_EQ(host_of(moved), "node-a");
    ASSERT_EQ(host_of(ended), "node-a");
    auto third_booth = value("INSERT INTO booths (site_id, label) VALUES ('" + site_ +
                             "', 'Cabine 3') RETURNING id::text");
    auto kept = start_call(third_booth);
    beat("node-b");
    lose("node-a");
    ASSERT_EQ(desk::Placement::host(*db_, moved, {"node-b", "ws://node-b:8080/rtc/v1", false}).name,
              "node-b");
    sql("UPDATE call_sessions SET ended_at = now(), outcome = 'served' WHERE id = '" + ended + "'");

    auto let_go = desk::Placement::hosted_elsewhere(
        *db_, "node-a",
        {moved, ended, kept, "not-a-uuid{}", "00000000-0000-0000-0000-000000000000"});
    EXPECT_EQ(let_go.moved, std::vector<std::string>{moved});
    EXPECT_EQ(let_go.ended, std::vector<std::string>{ended});
    // The node that hosts it now keeps it.
    auto at_b = desk::Placement::hosted_elsewhere(*db_, "node-b", {moved});
    EXPECT_TRUE(at_b.moved.empty());
    EXPECT_TRUE(at_b.ended.empty());
}

}  // namespace vg::test
