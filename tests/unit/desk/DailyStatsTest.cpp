// desk::DailyStats on the real database: a site's local day, only for a reader who covers it.
#include <nlohmann/json.hpp>

#include "desk/CallSessions.hpp"
#include "desk/DailyStats.hpp"
#include "desk/Offers.hpp"
#include "unit/desk/DeskFixture.hpp"

namespace vg::test {

class DailyStatsTest : public DeskTest {
  protected:
    desk::Principal supervisor(std::vector<std::string> sites) const {
        return {desk::Principal::Kind::Agent, agent_, desk::Role::Supervisor, std::move(sites),
                "s"};
    }
};

TEST_F(DailyStatsTest, CountsTheSitesDayForAReaderWhoCoversIt) {
    auto ana =
        desk::Principal{desk::Principal::Kind::Agent, agent_, desk::Role::Agent, {site_}, "s"};
    auto entry = walk_in("2026-12-01T13:50:00Z", booth_);
    desk::Offers::claim_next(*db_, kNow, "2026-12-01T14:00:20Z", ana, "192.0.2.1");
    auto session = desk::Offers::accept(*db_, kNow, ana, "192.0.2.1", entry).session_id;
    desk::CallSessions::end(*db_, "2026-12-01T14:12:00Z", ana, "192.0.2.1", session, "served", {});

    auto day = desk::DailyStats::of_day(*db_, supervisor({site_}), site_, "2026-12-01");
    ASSERT_EQ(day.refusal, desk::StatsRefusal::None);
    auto figures = nlohmann::json::parse(day.json);
    EXPECT_EQ(figures["walk_ins"], 1);
    EXPECT_EQ(figures["served"], 1);
    EXPECT_EQ(figures["avg_wait_seconds"], 600);
    EXPECT_EQ(nlohmann::json::parse(
                  desk::DailyStats::of_day(*db_, supervisor({site_}), site_, "2026-12-02")
                      .json)["walk_ins"],
              0);

    EXPECT_EQ(desk::DailyStats::of_day(*db_, supervisor({}), site_, "2026-12-01").refusal,
              desk::StatsRefusal::OtherSite);
    EXPECT_EQ(desk::DailyStats::of_day(*db_, supervisor({site_}), agent_, "2026-12-01").refusal,
              desk::StatsRefusal::NoSuchSite);
}

}  // namespace vg::test
