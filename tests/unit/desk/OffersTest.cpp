// desk::Offers on the real database: an agent claims the next citizen, declines or accepts.
#include "desk/Offers.hpp"
#include "unit/desk/DeskFixture.hpp"

namespace vg::test {

class OffersTest : public DeskTest {
  protected:
    desk::Principal agent(const std::string& id) const {
        return {desk::Principal::Kind::Agent, id, desk::Role::Agent, {site_}, "s"};
    }
    std::string state_of(const std::string& entry) {
        return value("SELECT state::text FROM queue_entries WHERE id = '" + entry + "'");
    }
    static constexpr const char* kExpiry = "2026-12-01T14:00:20Z";
};

TEST_F(OffersTest, ClaimOffersTheNextEntryAndShowsItAgainUntilDeclined) {
    auto entry = walk_in("2026-12-01T13:50:00Z", booth_);
    auto claimed = desk::Offers::claim_next(*db_, kNow, kExpiry, agent(agent_), "192.0.2.1");
    ASSERT_EQ(claimed.refusal, desk::OfferRefusal::None);
    EXPECT_NE(claimed.offered_json.find(entry), std::string::npos);
    EXPECT_EQ(state_of(entry), "offered");
    EXPECT_EQ(events("offer"), 1);

    auto again = desk::Offers::claim_next(*db_, kNow, kExpiry, agent(agent_), "192.0.2.1");
    EXPECT_EQ(again.offered_json, claimed.offered_json);
    EXPECT_EQ(events("offer"), 1);

    auto declined = desk::Offers::decline(*db_, kNow, agent(agent_), "192.0.2.1", entry);
    EXPECT_EQ(declined.refusal, desk::OfferRefusal::None);
    EXPECT_EQ(state_of(entry), "waiting");
    EXPECT_EQ(value("SELECT state::text FROM agent_presence"), "available");
}

TEST_F(OffersTest, AcceptStartsTheCallSessionOnlyForTheAgentOffered) {
    auto entry = walk_in("2026-12-01T13:50:00Z", booth_);
    desk::Offers::claim_next(*db_, kNow, kExpiry, agent(agent_), "192.0.2.1");
    auto other = value(
        "INSERT INTO agents (email, display_name, password_hash, roles) "
        "VALUES ('b@example.org', 'Bo', 'x', ARRAY['agent']) RETURNING id::text");
    EXPECT_EQ(desk::Offers::accept(*db_, kNow, agent(other), "192.0.2.1", entry).refusal,
              desk::OfferRefusal::OfferedToAnother);
    EXPECT_EQ(desk::Offers::accept(*db_, "2026-12-01T14:00:30Z", agent(agent_), "192.0.2.1", entry)
                  .refusal,
              desk::OfferRefusal::Expired);
    EXPECT_EQ(value("SELECT count(*) FROM call_sessions"), "0");

    auto accepted = desk::Offers::accept(*db_, kNow, agent(agent_), "192.0.2.1", entry);
    ASSERT_EQ(accepted.refusal, desk::OfferRefusal::None);
    EXPECT_EQ(value("SELECT queue_entry_id::text FROM call_sessions WHERE id = '" +
                    accepted.session_id + "'"),
              entry);
    EXPECT_EQ(state_of(entry), "accepted");
    EXPECT_EQ(value("SELECT state::text FROM agent_presence"), "in_call");
}

TEST_F(OffersTest, AnAgentWhoIsNotAvailableClaimsNothingAndChangesNothing) {
    auto entry = walk_in("2026-12-01T13:50:00Z", booth_);
    sql("UPDATE agent_presence SET state = 'away'");
    auto refused = desk::Offers::claim_next(*db_, kNow, kExpiry, agent(agent_), "192.0.2.1");
    EXPECT_EQ(refused.refusal, desk::OfferRefusal::NotAvailable);
    EXPECT_EQ(refused.state, "away");
    EXPECT_EQ(state_of(entry), "waiting");
    EXPECT_EQ(events("offer"), 0);
}

}  // namespace vg::test
