// desk::BoothQueue on the real database: a booth walks its citizen in, guesses codes, leaves.
#include "desk/BoothQueue.hpp"
#include "unit/desk/DeskFixture.hpp"

namespace vg::test {

class BoothQueueTest : public DeskTest {
  protected:
    desk::Principal booth() const {
        return {desk::Principal::Kind::Booth, booth_, desk::Role::Booth, {site_}, {}};
    }
};

TEST_F(BoothQueueTest, WalkInQueuesOneCitizenPerBoothAndLeavingAbandonsIt) {
    auto entry = desk::BoothQueue::walk_in(*db_, kNow, booth(), "192.0.2.1", service_, "fr");
    ASSERT_EQ(entry.refusal, desk::BoothRefusal::None);
    EXPECT_EQ(entry.place.position, 1);
    EXPECT_EQ(events("queue.changed"), 1);
    EXPECT_EQ(value("SELECT count(*) FROM audit_events WHERE action = 'queue.walk_in'"), "1");

    auto again = desk::BoothQueue::walk_in(*db_, kNow, booth(), "192.0.2.1", service_, "fr");
    EXPECT_EQ(again.refusal, desk::BoothRefusal::Busy);
    EXPECT_EQ(value("SELECT count(*) FROM queue_entries"), "1");

    desk::BoothQueue::leave(*db_, kNow, booth(), "192.0.2.1");
    EXPECT_EQ(
        value("SELECT state::text FROM queue_entries WHERE id = '" + entry.queue_entry_id + "'"),
        "abandoned");
}

TEST_F(BoothQueueTest, WalkInToAnUnknownOrAppointmentOnlyServiceIsRefused) {
    auto unknown = desk::BoothQueue::walk_in(*db_, kNow, booth(), "192.0.2.1",
                                             "00000000-0000-0000-0000-000000000000", "fr");
    EXPECT_EQ(unknown.refusal, desk::BoothRefusal::NoSuchService);
    sql("UPDATE services SET walk_in_allowed = false");
    auto refused = desk::BoothQueue::walk_in(*db_, kNow, booth(), "192.0.2.1", service_, "fr");
    EXPECT_EQ(refused.refusal, desk::BoothRefusal::AppointmentsOnly);
    EXPECT_EQ(value("SELECT count(*) FROM queue_entries"), "0");
}

TEST_F(BoothQueueTest, WrongCodesCountUntilTheBoothMustWait) {
    desk::Options options;
    options.check_in_max_failures = 2;
    for (int i = 0; i < 2; ++i)
        EXPECT_EQ(
            desk::BoothQueue::check_in(*db_, kNow, booth(), "192.0.2.1", "ZZZZZZ", options).refusal,
            desk::BoothRefusal::UnknownCode);
    auto blocked = desk::BoothQueue::check_in(*db_, kNow, booth(), "192.0.2.1", "ZZZZZZ", options);
    EXPECT_EQ(blocked.refusal, desk::BoothRefusal::TooManyWrongCodes);
    // The window (10 minutes) runs from the first wrong code, made at kNow.
    EXPECT_GT(blocked.retry_after_seconds, 500);
    EXPECT_LE(blocked.retry_after_seconds, 601);
    // The refusal itself is not one more wrong code.
    EXPECT_EQ(value("SELECT count(*) FROM check_in_attempts WHERE NOT succeeded"), "2");
}

}  // namespace vg::test
