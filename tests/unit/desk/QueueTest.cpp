// desk::Queue on the real database: who is next, offers and their expiry.
#include "desk/Queue.hpp"
#include "unit/desk/DeskFixture.hpp"

namespace vg::test {

using QueueTest = DeskTest;

TEST_F(QueueTest, PlaceCountsFromTheFrontInArrivalOrder) {
    auto first = walk_in("2026-12-01T13:50:00Z", booth_);
    auto second = walk_in("2026-12-01T13:55:00Z", other_booth_);
    EXPECT_EQ(desk::Queue::place(*db_, kNow, first).position, 1);
    auto place = desk::Queue::place(*db_, kNow, second);
    EXPECT_EQ(place.position, 2);
    EXPECT_GT(place.estimated_wait_seconds, 0);
}

TEST_F(QueueTest, OfferGoesToTheAvailableAgentAndExpiresBackToWaiting) {
    auto entry = walk_in("2026-12-01T13:50:00Z", booth_);
    ASSERT_TRUE(desk::Queue::offer_next(*db_, kNow, "2026-12-01T14:00:20Z"));
    EXPECT_EQ(value("SELECT state::text || ' ' || offered_to FROM queue_entries WHERE id = '" +
                    entry + "'"),
              "offered " + agent_);
    EXPECT_EQ(value("SELECT state::text FROM agent_presence"), "offered");
    EXPECT_EQ(events("offer"), 1);
    // Nobody else is available: no second offer.
    walk_in("2026-12-01T13:55:00Z", other_booth_);
    EXPECT_FALSE(desk::Queue::offer_next(*db_, kNow, "2026-12-01T14:00:20Z"));

    EXPECT_EQ(desk::Queue::expire_offers(*db_, "2026-12-01T14:00:10Z"), 0);
    EXPECT_EQ(desk::Queue::expire_offers(*db_, "2026-12-01T14:00:20Z"), 1);
    EXPECT_EQ(value("SELECT state::text FROM queue_entries WHERE id = '" + entry + "'"), "waiting");
    EXPECT_EQ(value("SELECT state::text FROM agent_presence"), "available");
}

TEST_F(QueueTest, CitizenWhoLeavesTheBoothAbandonsTheEntryAndFreesItsAgent) {
    auto entry = walk_in("2026-12-01T13:50:00Z", booth_);
    ASSERT_TRUE(desk::Queue::offer_next(*db_, kNow, "2026-12-01T14:00:20Z"));
    EXPECT_EQ(desk::Queue::abandon_at_booth(*db_, kNow, booth_), 1);
    EXPECT_EQ(value("SELECT state::text FROM queue_entries WHERE id = '" + entry + "'"),
              "abandoned");
    EXPECT_EQ(value("SELECT state::text FROM agent_presence"), "available");
    EXPECT_EQ(desk::Queue::abandon_at_booth(*db_, kNow, booth_), 0);
}

}  // namespace vg::test
