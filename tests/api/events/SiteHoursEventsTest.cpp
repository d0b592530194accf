// The live event of a change of hours or closures: the booths of that site (and only they, among
// booths) hear it, so a booth shows or leaves its closed screen without waiting for its timer.
#include "api/events/EventsFixture.hpp"

namespace vg::test {

using nlohmann::json;

TEST_F(EventsTest, BoothsOfTheSiteHearThatItsHoursChanged) {
    auto here = make_world("NIC", "EMP");
    auto there = make_world("LAV", "AUT");
    auto booth = connect(enroll(here.site_id));
    auto elsewhere = connect(enroll(there.site_id));

    auto closed = call("POST", "/api/v1/sites/" + here.site_id + "/closures", admin_,
                       json{{"starts_at", "2026-12-01T00:00:00Z"},
                            {"ends_at", "2026-12-02T00:00:00Z"},
                            {"reason_fr", "Tempête"},
                            {"reason_en", "Storm"}});
    ASSERT_EQ(closed.status, 201) << closed.raw;
    EXPECT_EQ(booth.next("site.hours_changed"),
              json({{"type", "site.hours_changed"}, {"site_id", here.site_id}}));

    // The other site's booth: the first such event it gets is about its own site.
    auto hours = call("PUT", "/api/v1/sites/" + there.site_id + "/hours", admin_,
                      json{{"rules", {{{"weekday", 1}, {"open", "08:30"}, {"close", "16:30"}}}}});
    ASSERT_EQ(hours.status, 200) << hours.raw;
    EXPECT_EQ(elsewhere.next("site.hours_changed")["site_id"], there.site_id);
}

}  // namespace vg::test
