// The citizen's own page's API (/api/v1/visit, the personal link's token): what it shows, and
// moving and cancelling with the staff's rules; bad tokens and bad input change nothing.
#include <nlohmann/json.hpp>

#include "api/ApiFixture.hpp"
#include "messaging/VisitLink.hpp"

namespace vg::test {

using nlohmann::json;

class Visit : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        site_ = make_site("NIC")["id"];
        service_ = make_service("EMP", 30)["id"];
        make_booth(site_);
        auto agent = make_agent("marie@example.org", {"agent"}, json::array({site_}),
                                json::array({service_}))["id"];
        // Tuesdays 09:00-12:00 local (America/Toronto: UTC-5 in December).
        set_availability(
            agent, {{{"weekday", 2}, {"start", "09:00"}, {"end", "12:00"}, {"site_id", site_}}});
        appointment_ = book("2026-12-01T14:00:00Z", "camille@example.org")["id"];
        token_ = link(appointment_, "2026-12-08T00:00:00Z");
    }
    json book(const std::string& starts_at, const std::string& email) {
        auto r = call("POST", "/api/v1/appointments", admin_,
                      json{{"site_id", site_},
                           {"service_id", service_},
                           {"starts_at", starts_at},
                           {"citizen",
                            {{"name", "Camille Gagnon"},
                             {"language", "fr"},
                             {"email", email},
                             {"phone", "+1 819 555-0100"}}}});
        EXPECT_EQ(r.status, 201) << r.raw;
        return r.body;
    }
    std::string link(const std::string& id, const std::string& expires) {
        return messaging::VisitLink::load(sql()).token(id,
                                                       *domain::TimeFormat::parse_instant(expires));
    }
    Reply visit(const std::string& method, const std::string& path, const std::string& token,
                const json& body = nullptr, Headers headers = {}) {
        return body.is_null() ? call(method, "/api/v1/visit" + path, token, std::string(), headers)
                              : call(method, "/api/v1/visit" + path, token, body, headers);
    }
    std::string messages() {
        return std::string(sql()
                               .exec("SELECT string_agg(kind || ':' || channel, ',' ORDER BY "
                                     "kind, channel) FROM messages")
                               .get(0, 0));
    }
    std::string site_, service_, appointment_, token_;
};

TEST_F(Visit, ShowsTheVisitAndNothingElseOfTheCitizen) {
    auto r = visit("GET", "", token_);
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["appointment"]["id"], appointment_);
    EXPECT_EQ(r.body["appointment"]["starts_at"], "2026-12-01T14:00:00Z");
    EXPECT_EQ(r.body["appointment"]["status"], "booked");
    EXPECT_EQ(r.body["appointment"]["check_in_code"].get<std::string>().size(), 6u);
    EXPECT_EQ(r.body["site"]["timezone"], "America/Toronto");
    EXPECT_EQ(r.body["service"]["duration_minutes"], 30);
    EXPECT_EQ(r.header("ETag"), "\"1\"");
    for (const char* hidden : {"camille@example.org", "555-0100", "Gagnon", "booth_id", "agent_id"})
        EXPECT_EQ(r.raw.find(hidden), std::string::npos) << hidden;
}

TEST_F(Visit, ForeignAlteredOrExpiredTokensAre401AndShowNothing) {
    auto before = snapshot();
    auto altered = token_;
    altered[5] = altered[5] == 'A' ? 'B' : 'A';
    for (const std::string& bad : {std::string(), std::string("nope"), altered, admin_,
                                   link(appointment_, "2026-11-30T12:00:00Z")}) {
        auto r = visit("GET", "", bad);
        EXPECT_EQ(r.status, 401) << bad;
        EXPECT_EQ(r.content_type, "application/problem+json");
        EXPECT_EQ(r.raw.find("check_in_code"), std::string::npos);
        EXPECT_EQ(visit("POST", "/cancel", bad, json{{"reason", "x"}}).status, 401);
        EXPECT_EQ(visit("PATCH", "", bad, json{{"starts_at", "2026-12-01T15:00:00Z"}},
                        {{"If-Match", "*"}})
                      .status,
                  401);
    }
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Visit, SlotsAreTheFreeTimesOfItsSiteAndServiceOnly) {
    auto r = visit("GET", "/slots?date=2026-12-01", token_);
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(r.body["slots"].size(), 5u) << r.raw;  // six, less its own
    EXPECT_EQ(r.body["slots"][0],
              (json{{"starts_at", "2026-12-01T14:30:00Z"}, {"ends_at", "2026-12-01T15:00:00Z"}}));
    EXPECT_EQ(visit("GET", "/slots?date=tuesday", token_).status, 422);
    EXPECT_EQ(visit("GET", "/slots", token_).status, 422);
}

TEST_F(Visit, MoveFollowsTheStaffRulesAndTellsTheCitizen) {
    auto before = snapshot();
    auto to = json{{"starts_at", "2026-12-01T15:00:00Z"}};
    EXPECT_EQ(visit("PATCH", "", token_, to).status, 428);
    EXPECT_EQ(visit("PATCH", "", token_, to, {{"If-Match", "\"7\""}}).status, 412);
    auto off_grid = visit("PATCH", "", token_, json{{"starts_at", "2026-12-01T15:10:00Z"}},
                          {{"If-Match", "\"1\""}});
    EXPECT_EQ(off_grid.status, 422) << off_grid.raw;
    EXPECT_EQ(visit("PATCH", "", token_, json{{"starts_at", 5}}, {{"If-Match", "\"1\""}}).status,
              422);
    EXPECT_EQ(
        call("PATCH", "/api/v1/visit", token_, std::string("{"), {{"If-Match", "\"1\""}}).status,
        400);
    // Another citizen holds 15:00 (one booth): taken.
    book("2026-12-01T15:00:00Z", "autre@example.org");
    before = snapshot();
    EXPECT_EQ(visit("PATCH", "", token_, to, {{"If-Match", "\"1\""}}).status, 409);
    EXPECT_EQ(snapshot(), before);

    auto r = visit("PATCH", "", token_, json{{"starts_at", "2026-12-01T16:00:00Z"}},
                   {{"If-Match", "\"1\""}});
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["appointment"]["starts_at"], "2026-12-01T16:00:00Z");
    EXPECT_EQ(r.header("ETag"), "\"2\"");
    auto staff = call("GET", "/api/v1/appointments/" + appointment_, admin_);
    EXPECT_EQ(staff.body["starts_at"], "2026-12-01T16:00:00Z");
    EXPECT_EQ(messages(),
              "confirmation:email,confirmation:email,confirmation:sms,confirmation:sms,"
              "moved:email,moved:sms");
    EXPECT_EQ(std::string(sql()
                              .exec("SELECT actor_kind || ':' || actor_id FROM audit_events "
                                    "WHERE action = 'appointment.reschedule'")
                              .get(0, 0)),
              "citizen:" + appointment_);
    // Its old time is free again.
    auto slots =
        call("GET", "/api/v1/sites/" + site_ + "/slots?service_id=" + service_ + "&date=2026-12-01",
             admin_);
    EXPECT_EQ(slots.body["slots"][0]["available"], 1);
}

TEST_F(Visit, CancelNeedsAReasonAndHappensOnce) {
    auto before = snapshot();
    EXPECT_EQ(visit("POST", "/cancel", token_, json::object()).status, 422);
    EXPECT_EQ(visit("POST", "/cancel", token_, json{{"reason", std::string(501, 'x')}}).status,
              422);
    EXPECT_EQ(snapshot(), before);
    auto r = visit("POST", "/cancel", token_, json{{"reason", "Tempête"}});
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["appointment"]["status"], "cancelled");
    EXPECT_EQ(r.body["appointment"]["cancel_reason"], "Tempête");
    EXPECT_TRUE(r.body["appointment"]["check_in_code"].is_null());
    EXPECT_EQ(visit("POST", "/cancel", token_, json{{"reason", "again"}}).status, 409);
    EXPECT_EQ(messages(), "cancelled:email,cancelled:sms,confirmation:email,confirmation:sms");
    auto staff = call("GET", "/api/v1/appointments/" + appointment_, admin_);
    EXPECT_EQ(staff.body["status"], "cancelled");
}

TEST_F(Visit, EachAddressHasABoundedNumberOfRequests) {
    // At most 120 in the window, counting what earlier tests of this process sent: once refused,
    // every further request of the window is refused too.
    int first_refused = -1;
    for (int i = 0; i < 130; ++i) {
        auto r = visit("GET", "", "nope");
        if (first_refused < 0 && r.status == 429) {
            first_refused = i;
            auto wait = std::stoi(r.header("Retry-After"));
            EXPECT_GE(wait, 1);
            EXPECT_LE(wait, 600);
        }
        if (first_refused >= 0) {
            EXPECT_EQ(r.status, 429) << i;
        }
    }
    EXPECT_GE(first_refused, 0);
    EXPECT_LE(first_refused, 120);
    EXPECT_EQ(visit("GET", "", token_).status, 429);  // a good token waits too
}

}  // namespace vg::test
