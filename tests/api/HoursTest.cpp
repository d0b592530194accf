// Opening hours, closures and agent absences (issue 16 item 3): slots leave them out, a booking
// inside them is 422 with opens_at, a walk-in or check-in while the site is closed is 409 with
// opens_at, and a closure over booked visits cancels them and tells their citizens. Against the
// real database; every refusal changes nothing.
#include "api/CitizenDesk.hpp"

namespace vg::test {

using nlohmann::json;

class Hours : public CitizenDesk {
  protected:
    void SetUp() override {
        CitizenDesk::SetUp();
        // Marie works Monday and Tuesday 09:00-12:00 local (America/Toronto: UTC-5 in December).
        set_availability(
            agent_, {{{"weekday", 1}, {"start", "09:00"}, {"end", "12:00"}, {"site_id", site_}},
                     {{"weekday", 2}, {"start", "09:00"}, {"end", "12:00"}, {"site_id", site_}}});
    }

    Reply put_hours(const json& rules, const std::string& token = {}) {
        return call("PUT", "/api/v1/sites/" + site_ + "/hours", token.empty() ? admin_ : token,
                    json{{"rules", rules}});
    }
    // Weekdays 08:30-16:30.
    void office_hours() {
        json rules = json::array();
        for (int day = 1; day <= 5; ++day)
            rules.push_back({{"weekday", day}, {"open", "08:30"}, {"close", "16:30"}});
        ASSERT_EQ(put_hours(rules).status, 200);
    }
    Reply close(const std::string& from, const std::string& to) {
        return call("POST", "/api/v1/sites/" + site_ + "/closures", admin_,
                    json{{"starts_at", from},
                         {"ends_at", to},
                         {"reason_fr", "Tempête de neige"},
                         {"reason_en", "Snowstorm"}});
    }
    std::vector<std::string> slot_starts(const std::string& date) {
        auto r = call("GET",
                      "/api/v1/sites/" + site_ + "/slots?service_id=" + service_ + "&date=" + date,
                      admin_);
        EXPECT_EQ(r.status, 200) << r.raw;
        std::vector<std::string> out;
        for (const auto& s : r.body["slots"]) out.push_back(s["starts_at"]);
        return out;
    }
    Reply try_book(const std::string& starts_at) {
        return call(
            "POST", "/api/v1/appointments", admin_,
            json{{"site_id", site_},
                 {"service_id", service_},
                 {"starts_at", starts_at},
                 {"citizen",
                  {{"name", "Jean Tremblay"}, {"language", "fr"}, {"email", "jean@example.org"}}}});
    }
    Reply walk_in(const std::string& booth) {
        return call("POST", "/api/v1/booth/walk-in", booth,
                    json{{"service_id", service_}, {"language", "fr"}});
    }
};

TEST_F(Hours, SlotsAndBookingsStayInsideTheOpeningHours) {
    json rules = {{{"weekday", 2}, {"open", "10:00"}, {"close", "11:30"}},
                  {{"weekday", 6}, {"open", "18:00"}, {"close", "24:00"}}};
    auto r = put_hours(rules);
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["rules"], rules);  // midnight at the end of the day stays 24:00
    EXPECT_EQ(call("GET", "/api/v1/sites/" + site_ + "/hours", admin_).body, r.body);
    // The agent works 09:00-12:00; the site is open 10:00-11:30 only.
    EXPECT_EQ(slot_starts("2026-12-01"),
              (std::vector<std::string>{"2026-12-01T15:00:00Z", "2026-12-01T15:30:00Z",
                                        "2026-12-01T16:00:00Z"}));
    // Monday: the agent works, the site has no hours that day.
    EXPECT_TRUE(slot_starts("2026-11-30").empty());

    auto before = snapshot();
    auto early = try_book("2026-12-01T14:00:00Z");  // 09:00 local, before the site opens
    ASSERT_EQ(early.status, 422) << early.raw;
    EXPECT_EQ(early.content_type, "application/problem+json");
    EXPECT_EQ(early.body["opens_at"], "2026-12-01T15:00:00Z");
    EXPECT_EQ(early.body["errors"][0]["field"], "starts_at");
    // 11:30 local: the agent is there, the site has just closed; it opens Saturday 18:00.
    auto late = try_book("2026-12-01T16:30:00Z");
    ASSERT_EQ(late.status, 422) << late.raw;
    EXPECT_EQ(late.body["opens_at"], "2026-12-05T23:00:00Z");
    EXPECT_EQ(snapshot(), before);

    EXPECT_EQ(try_book("2026-12-01T15:30:00Z").status, 201);
}

TEST_F(Hours, HoursAreLocalTimeAcrossTheDaylightSavingChange) {
    set_now("2026-10-20T00:00:00Z");
    set_availability(agent_,
                     {{{"weekday", 7}, {"start", "08:00"}, {"end", "11:00"}, {"site_id", site_}}});
    ASSERT_EQ(put_hours({{{"weekday", 7}, {"open", "09:00"}, {"close", "10:00"}}}).status, 200);
    // 09:00-10:00 local: EDT (UTC-4) the Sunday before, EST (UTC-5) from 2026-11-01 02:00.
    EXPECT_EQ(slot_starts("2026-10-25"),
              (std::vector<std::string>{"2026-10-25T13:00:00Z", "2026-10-25T13:30:00Z"}));
    EXPECT_EQ(slot_starts("2026-11-01"),
              (std::vector<std::string>{"2026-11-01T14:00:00Z", "2026-11-01T14:30:00Z"}));
    // 09:00 EDT on the day of the change is 08:00 local there: closed, opening at 09:00 EST.
    auto r = try_book("2026-11-01T13:00:00Z");
    ASSERT_EQ(r.status, 422) << r.raw;
    EXPECT_EQ(r.body["opens_at"], "2026-11-01T14:00:00Z");
    EXPECT_EQ(try_book("2026-11-01T14:00:00Z").status, 201);
}

TEST_F(Hours, ClosureOverBookedVisitsCancelsThemAndTellsTheirCitizens) {
    auto booked = try_book("2026-12-01T15:00:00Z");
    ASSERT_EQ(booked.status, 201) << booked.raw;
    std::string id = booked.body["id"];
    auto other_day = try_book("2026-12-07T15:00:00Z");
    ASSERT_EQ(other_day.status, 201);

    auto closed = close("2026-12-01T00:00:00-05:00", "2026-12-02T00:00:00-05:00");
    ASSERT_EQ(closed.status, 201) << closed.raw;
    ASSERT_EQ(closed.body["cancelled_appointments"].size(), 1u) << closed.raw;
    EXPECT_EQ(closed.body["cancelled_appointments"][0]["id"], id);
    EXPECT_EQ(closed.body["starts_at"], "2026-12-01T05:00:00Z");

    auto visit = call("GET", "/api/v1/appointments/" + id, admin_);
    EXPECT_EQ(visit.body["status"], "cancelled");
    EXPECT_EQ(visit.body["cancel_reason"], "Tempête de neige");  // the citizen's language
    EXPECT_EQ(call("GET", "/api/v1/appointments/" + std::string(other_day.body["id"]), admin_)
                  .body["status"],
              "booked");
    // One cancellation e-mail for the cancelled visit, in the outbox with the closure.
    auto messages = sql().exec(
        "SELECT count(*) FROM messages WHERE appointment_id = $1 AND kind = 'cancelled' "
        "AND channel = 'email'",
        {id});
    EXPECT_EQ(messages.get(0, 0), "1");

    EXPECT_TRUE(slot_starts("2026-12-01").empty());
    auto inside = try_book("2026-12-01T16:00:00Z");
    ASSERT_EQ(inside.status, 422) << inside.raw;
    // No weekly hours: the site opens again when the closure ends.
    EXPECT_EQ(inside.body["opens_at"], "2026-12-02T05:00:00Z");

    auto list = call("GET", "/api/v1/sites/" + site_ + "/closures", admin_);
    ASSERT_EQ(list.status, 200) << list.raw;
    ASSERT_EQ(list.body["closures"].size(), 1u);
    EXPECT_EQ(list.body["closures"][0]["reason_en"], "Snowstorm");

    std::string closure = closed.body["id"];
    EXPECT_EQ(call("DELETE", "/api/v1/closures/" + closure, admin_).status, 204);
    EXPECT_EQ(slot_starts("2026-12-01").size(), 6u);
    EXPECT_EQ(call("GET", "/api/v1/appointments/" + id, admin_).body["status"], "cancelled");
    EXPECT_EQ(call("DELETE", "/api/v1/closures/" + closure, admin_).status, 404);
}

TEST_F(Hours, WalkInAndCheckInWhileClosedAre409WithOpensAt) {
    office_hours();
    const auto& booth = booth_token_;
    auto before = snapshot();
    // Monday 07:00 local: the site opens at 08:30 (13:30Z).
    auto r = walk_in(booth);
    ASSERT_EQ(r.status, 409) << r.raw;
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_EQ(r.body["opens_at"], "2026-11-30T13:30:00Z");
    auto checked = call("POST", "/api/v1/booth/check-in", booth, json{{"code", "ABCD2345"}});
    ASSERT_EQ(checked.status, 409) << checked.raw;
    EXPECT_EQ(checked.body["opens_at"], "2026-11-30T13:30:00Z");
    EXPECT_EQ(snapshot(), before);

    // What the booth reads for its closed screen.
    auto opening = call("GET", "/api/v1/sites/" + site_ + "/opening", booth);
    ASSERT_EQ(opening.status, 200) << opening.raw;
    EXPECT_EQ(opening.body["open"], false);
    EXPECT_EQ(opening.body["opens_at"], "2026-11-30T13:30:00Z");

    set_now("2026-11-30T13:30:00Z");
    opening = call("GET", "/api/v1/sites/" + site_ + "/opening", booth);
    EXPECT_EQ(opening.body["open"], true);
    EXPECT_EQ(opening.body["closes_at"], "2026-11-30T21:30:00Z");
    EXPECT_EQ(walk_in(booth).status, 201);
    EXPECT_EQ(call("POST", "/api/v1/booth/leave", booth).status, 204);

    // A snowstorm closes the office until Wednesday noon; hours then take over again.
    ASSERT_EQ(close("2026-11-30T14:00:00Z", "2026-12-02T17:00:00Z").status, 201);
    set_now("2026-11-30T15:00:00Z");
    r = walk_in(booth);
    ASSERT_EQ(r.status, 409) << r.raw;
    EXPECT_EQ(r.body["opens_at"], "2026-12-02T17:00:00Z");
    opening = call("GET", "/api/v1/sites/" + site_ + "/opening", booth);
    EXPECT_EQ(opening.body["reason_fr"], "Tempête de neige");

    // Saturday afternoon: next opening Monday 08:30 local.
    set_now("2026-12-05T15:00:00Z");
    EXPECT_EQ(walk_in(booth).body["opens_at"], "2026-12-07T13:30:00Z");
}

TEST_F(Hours, AnAbsentAgentOffersNoSlot) {
    auto r = call("POST", "/api/v1/agents/" + agent_ + "/absences", admin_,
                  json{{"starts_at", "2026-12-01T10:00:00-05:00"},
                       {"ends_at", "2026-12-01T11:00:00-05:00"},
                       {"reason", "Formation"}});
    ASSERT_EQ(r.status, 201) << r.raw;
    std::string absence = r.body["id"];
    EXPECT_EQ(slot_starts("2026-12-01"),
              (std::vector<std::string>{"2026-12-01T14:00:00Z", "2026-12-01T14:30:00Z",
                                        "2026-12-01T16:00:00Z", "2026-12-01T16:30:00Z"}));
    // The site is open (no hours): no opens_at, the time is simply no slot.
    auto refused = try_book("2026-12-01T15:00:00Z");
    ASSERT_EQ(refused.status, 422) << refused.raw;
    EXPECT_FALSE(refused.body.contains("opens_at"));

    const auto& agent = agent_token_;
    auto list = call("GET", "/api/v1/sites/" + site_ + "/absences", agent);
    ASSERT_EQ(list.status, 200) << list.raw;
    ASSERT_EQ(list.body["absences"].size(), 1u);
    EXPECT_EQ(list.body["absences"][0]["reason"], "Formation");

    EXPECT_EQ(call("DELETE", "/api/v1/absences/" + absence, agent).status, 403);
    EXPECT_EQ(call("DELETE", "/api/v1/absences/" + absence, admin_).status, 204);
    EXPECT_EQ(slot_starts("2026-12-01").size(), 6u);
}

TEST_F(Hours, BadHoursClosuresAndAbsencesAreRefusedAndChangeNothing) {
    office_hours();
    auto before = snapshot();
    auto bad_rule = [&](const json& rule) { return put_hours(json::array({rule})).status; };
    EXPECT_EQ(bad_rule({{"weekday", 8}, {"open", "08:00"}, {"close", "09:00"}}), 422);
    EXPECT_EQ(bad_rule({{"weekday", 1}, {"open", "10:00"}, {"close", "09:00"}}), 422);
    EXPECT_EQ(bad_rule({{"weekday", 1}, {"open", "8h30"}, {"close", "09:00"}}), 422);
    EXPECT_EQ(bad_rule({{"weekday", 1}, {"open", "08:00"}, {"close", "24:01"}}), 422);
    EXPECT_EQ(bad_rule({{"weekday", 1}, {"open", "08:00"}, {"close", "09:00"}, {"x", 1}}), 422);
    auto overlap = put_hours({{{"weekday", 1}, {"open", "08:00"}, {"close", "12:00"}},
                              {{"weekday", 1}, {"open", "11:00"}, {"close", "13:00"}}});
    EXPECT_EQ(overlap.status, 422) << overlap.raw;
    EXPECT_EQ(call("PUT", "/api/v1/sites/" + site_ + "/hours", admin_, json::object()).status, 422);

    EXPECT_EQ(close("2026-12-02T00:00:00Z", "2026-12-01T00:00:00Z").status, 422);
    EXPECT_EQ(close("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z").status, 422);  // past
    EXPECT_EQ(close("2026-12-01T00:00:00Z", "2028-12-01T00:00:00Z").status, 422);  // too long
    EXPECT_EQ(close("tomorrow", "2026-12-01T00:00:00Z").status, 422);
    EXPECT_EQ(call("POST", "/api/v1/sites/" + site_ + "/closures", admin_,
                   json{{"starts_at", "2026-12-01T00:00:00Z"}, {"ends_at", "2026-12-02T00:00:00Z"}})
                  .status,
              422);  // no reasons
    EXPECT_EQ(call("POST", "/api/v1/agents/" + agent_ + "/absences", admin_,
                   json{{"starts_at", "2026-12-02T00:00:00Z"}, {"ends_at", "2026-12-01T00:00:00Z"}})
                  .status,
              422);
    EXPECT_EQ(call("POST", "/api/v1/agents/" + site_ + "/absences", admin_,
                   json{{"starts_at", "2026-12-01T00:00:00Z"}, {"ends_at", "2026-12-02T00:00:00Z"}})
                  .status,
              404);
    EXPECT_EQ(call("DELETE", "/api/v1/absences/" + site_, admin_).status, 404);
    EXPECT_EQ(call("GET", "/api/v1/sites/" + agent_ + "/hours", admin_).status, 404);
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Hours, OnlyAdminsWriteAndStaffReadTheirOwnSites) {
    office_hours();
    std::string other = make_site("LAV")["id"];
    make_agent("paul@example.org", {"agent"}, json::array({other}), json::array({service_}));
    make_agent("chef@example.org", json::array({"agent", "supervisor"}), json::array({site_}),
               json::array({service_}));
    const auto& agent = agent_token_;
    auto elsewhere = login("paul@example.org");
    auto supervisor = login("chef@example.org");
    auto scheduler = new_key("scheduler");
    auto booth = enroll(other);
    auto before = snapshot();

    json rules = {{{"weekday", 1}, {"open", "08:00"}, {"close", "09:00"}}};
    json closure = {{"starts_at", "2026-12-01T00:00:00Z"},
                    {"ends_at", "2026-12-02T00:00:00Z"},
                    {"reason_fr", "Férié"},
                    {"reason_en", "Holiday"}};
    for (const auto& token : {agent, supervisor, scheduler}) {
        EXPECT_EQ(put_hours(rules, token).status, 403);
        EXPECT_EQ(call("POST", "/api/v1/sites/" + site_ + "/closures", token, closure).status, 403);
        EXPECT_EQ(
            call("POST", "/api/v1/agents/" + agent_ + "/absences", token,
                 json{{"starts_at", "2026-12-01T00:00:00Z"}, {"ends_at", "2026-12-02T00:00:00Z"}})
                .status,
            403);
    }
    EXPECT_EQ(call("PUT", "/api/v1/sites/" + site_ + "/hours", "", json{{"rules", rules}}).status,
              401);
    EXPECT_EQ(snapshot(), before);

    for (const auto& token : {agent, supervisor, scheduler}) {
        EXPECT_EQ(call("GET", "/api/v1/sites/" + site_ + "/hours", token).status, 200);
        EXPECT_EQ(call("GET", "/api/v1/sites/" + site_ + "/closures", token).status, 200);
        EXPECT_EQ(call("GET", "/api/v1/sites/" + site_ + "/absences", token).status, 200);
    }
    // Staff of another site, and a booth of another site, see nothing of this one.
    EXPECT_EQ(call("GET", "/api/v1/sites/" + site_ + "/hours", elsewhere).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/sites/" + site_ + "/closures", elsewhere).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/sites/" + site_ + "/absences", elsewhere).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/sites/" + site_ + "/opening", booth).status, 403);
    EXPECT_EQ(call("GET", "/api/v1/sites/" + other + "/opening", booth).status, 200);
}

}  // namespace vg::test
