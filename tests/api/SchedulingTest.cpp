// Slots, booking, idempotency, reschedule and cancel, against the real database.
#include <thread>

#include "api/ApiFixture.hpp"

namespace vg::test {

using nlohmann::json;

class Scheduling : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        site_ = make_site("NIC")["id"];
        service_ = make_service("EMP", 30)["id"];
        booth_ = make_booth(site_)["id"];
        agent_ = make_agent("marie@example.org", {"agent"}, json::array({site_}),
                            json::array({service_}))["id"];
        // Tuesdays 09:00-12:00 local (America/Toronto: UTC-5 in December).
        set_availability(
            agent_, {{{"weekday", 2}, {"start", "09:00"}, {"end", "12:00"}, {"site_id", site_}}});
    }

    json booking(const std::string& starts_at, const std::string& language = "fr") {
        return {{"site_id", site_},
                {"service_id", service_},
                {"starts_at", starts_at},
                {"citizen", {{"name", "Jean Tremblay"}, {"language", language}}}};
    }
    Reply book(const std::string& starts_at, Headers headers = {}) {
        return call("POST", "/api/v1/appointments", admin_, booking(starts_at), headers);
    }
    Reply slots(const std::string& date) {
        return call("GET",
                    "/api/v1/sites/" + site_ + "/slots?service_id=" + service_ + "&date=" + date,
                    admin_);
    }

    std::string site_, service_, booth_, agent_;
};

TEST_F(Scheduling, SlotsFollowTheWindowInLocalTime) {
    auto r = slots("2026-12-01");
    ASSERT_EQ(r.status, 200) << r.raw;
    const auto& list = r.body["slots"];
    ASSERT_EQ(list.size(), 6u) << r.raw;
    EXPECT_EQ(list[0], (json{{"starts_at", "2026-12-01T14:00:00Z"},
                             {"ends_at", "2026-12-01T14:30:00Z"},
                             {"available", 1}}));
    EXPECT_EQ(list[5]["starts_at"], "2026-12-01T16:30:00Z");
    // Wednesday: no window.
    EXPECT_EQ(slots("2026-12-02").body["slots"].size(), 0u);
}

TEST_F(Scheduling, OnlyFutureSlotsAreListed) {
    set_now("2026-12-01T15:10:00Z");
    auto r = slots("2026-12-01");
    ASSERT_EQ(r.body["slots"].size(), 3u) << r.raw;
    EXPECT_EQ(r.body["slots"][0]["starts_at"], "2026-12-01T15:30:00Z");
}

TEST_F(Scheduling, SlotQueryIsValidated) {
    EXPECT_EQ(slots("2026-02-30").status, 422);
    EXPECT_EQ(call("GET", "/api/v1/sites/" + site_ + "/slots?date=2026-12-01", admin_).status, 422);
    EXPECT_EQ(
        call("GET", "/api/v1/sites/" + site_ + "/slots?service_id=" + site_ + "&date=2026-12-01",
             admin_)
            .status,
        422);
    EXPECT_EQ(call("GET",
                   "/api/v1/sites/0f8fad5b-d9cb-469f-a165-70867728950e/slots?service_id=" +
                       service_ + "&date=2026-12-01",
                   admin_)
                  .status,
              404);
}

TEST_F(Scheduling, SpringForwardShiftsTheUtcTimeAndSkipsTheMissingHour) {
    set_now("2026-02-28T00:00:00Z");
    std::string hour = make_service("H1", 60)["id"];
    sql().exec("INSERT INTO agent_services VALUES ($1, $2)", {agent_, hour});
    set_availability(agent_,
                     {{{"weekday", 7}, {"start", "00:00"}, {"end", "04:00"}, {"site_id", site_}},
                      {{"weekday", 7}, {"start", "09:00"}, {"end", "11:00"}, {"site_id", site_}}});
    auto starts = [&](const std::string& date) {
        auto r =
            call("GET", "/api/v1/sites/" + site_ + "/slots?service_id=" + hour + "&date=" + date,
                 admin_);
        EXPECT_EQ(r.status, 200) << r.raw;
        std::vector<std::string> out;
        for (const auto& s : r.body["slots"]) out.push_back(s["starts_at"]);
        return out;
    };
    // The Sunday before: EST, UTC-5.
    EXPECT_EQ(starts("2026-03-01"),
              (std::vector<std::string>{"2026-03-01T05:00:00Z", "2026-03-01T06:00:00Z",
                                        "2026-03-01T07:00:00Z", "2026-03-01T08:00:00Z",
                                        "2026-03-01T14:00:00Z", "2026-03-01T15:00:00Z"}));
    // 2026-03-08: 02:00 local does not exist; from 03:00 it is EDT, UTC-4.
    EXPECT_EQ(starts("2026-03-08"),
              (std::vector<std::string>{"2026-03-08T05:00:00Z", "2026-03-08T06:00:00Z",
                                        "2026-03-08T07:00:00Z", "2026-03-08T13:00:00Z",
                                        "2026-03-08T14:00:00Z"}));
}

TEST_F(Scheduling, FallBackShiftsTheUtcTimeBack) {
    set_now("2026-10-20T00:00:00Z");
    set_availability(agent_,
                     {{{"weekday", 7}, {"start", "09:00"}, {"end", "10:00"}, {"site_id", site_}}});
    auto first = [&](const std::string& date) {
        auto r = slots(date);
        EXPECT_EQ(r.status, 200) << r.raw;
        return r.body["slots"].empty() ? std::string()
                                       : r.body["slots"][0]["starts_at"].get<std::string>();
    };
    EXPECT_EQ(first("2026-10-25"), "2026-10-25T13:00:00Z");  // EDT
    EXPECT_EQ(first("2026-11-01"), "2026-11-01T14:00:00Z");  // EST from 02:00 that night
    // A booking at 09:00 local on the day of the change is a slot; 09:00 EDT is not.
    EXPECT_EQ(book("2026-11-01T14:00:00Z").status, 201);
    EXPECT_EQ(book("2026-11-01T13:00:00Z").status, 422);
}

TEST_F(Scheduling, BookingAssignsBoothAndAgentAndFillsTheSlot) {
    auto r = book("2026-12-01T14:30:00Z");
    ASSERT_EQ(r.status, 201) << r.raw;
    EXPECT_EQ(r.body["status"], "booked");
    EXPECT_EQ(r.body["booth_id"], booth_);
    EXPECT_EQ(r.body["agent_id"], agent_);
    EXPECT_EQ(r.body["starts_at"], "2026-12-01T14:30:00Z");
    EXPECT_EQ(r.body["ends_at"], "2026-12-01T15:00:00Z");
    EXPECT_EQ(r.body["version"], 1);
    EXPECT_EQ(r.header("ETag"), "\"1\"");
    auto code = r.body["check_in_code"].get<std::string>();
    EXPECT_EQ(code.size(), 6u);
    EXPECT_EQ(code.find_first_of("01OIL"), std::string::npos);
    EXPECT_EQ(slots("2026-12-01").body["slots"][1]["available"], 0);
    // The same place again: nobody is free.
    auto again = book("2026-12-01T14:30:00Z");
    EXPECT_EQ(again.status, 409) << again.raw;
    EXPECT_EQ(again.content_type, "application/problem+json");
    auto got = call("GET", "/api/v1/appointments/" + r.body["id"].get<std::string>(), admin_);
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.body, r.body);
    EXPECT_EQ(count("audit_events WHERE action = 'appointment.book'"), 1);
    EXPECT_EQ(count("appointment_history"), 1);
}

TEST_F(Scheduling, BookingRefusesWhatIsNotASlot) {
    EXPECT_EQ(book("2026-12-01T14:15:00Z").status, 422);  // off the grid
    EXPECT_EQ(book("2026-12-01T17:00:00Z").status, 422);  // the window has ended
    EXPECT_EQ(book("2026-12-02T14:00:00Z").status, 422);  // no window that day
    EXPECT_EQ(book("2026-11-30T11:00:00Z").status, 422);  // the past
    EXPECT_EQ(book("2026-12-01T14:00:30Z").status, 422);
    EXPECT_EQ(book("2029-12-04T14:00:00Z").status, 422);  // beyond the horizon
    // A language nobody speaks here: a slot, but no qualified agent.
    EXPECT_EQ(
        call("POST", "/api/v1/appointments", admin_, booking("2026-12-01T14:00:00Z", "de")).status,
        409);
    EXPECT_EQ(count("appointments"), 0);
}

TEST_F(Scheduling, BookingsReachFourHundredDaysAhead) {
    // 2028-01-04 is a Tuesday, 400 days after 2026-11-30.
    EXPECT_EQ(book("2028-01-04T14:00:00Z").status, 201);
}

TEST_F(Scheduling, IdempotencyKeyReplaysTheFirstAnswer) {
    auto first = book("2026-12-01T14:00:00Z", {{"Idempotency-Key", "abc-123"}});
    ASSERT_EQ(first.status, 201) << first.raw;
    auto replay = book("2026-12-01T14:00:00Z", {{"Idempotency-Key", "abc-123"}});
    EXPECT_EQ(replay.status, 201) << replay.raw;
    EXPECT_EQ(replay.body, first.body);
    EXPECT_EQ(replay.header("ETag"), "\"1\"");
    EXPECT_EQ(count("appointments"), 1);
    auto other = book("2026-12-01T15:00:00Z", {{"Idempotency-Key", "abc-123"}});
    EXPECT_EQ(other.status, 422) << other.raw;
    EXPECT_EQ(count("appointments"), 1);
    // Keys belong to their caller: another key holder may use the same string.
    auto scheduler = new_key("scheduler");
    EXPECT_EQ(call("POST", "/api/v1/appointments", scheduler, booking("2026-12-01T15:00:00Z"),
                   {{"Idempotency-Key", "abc-123"}})
                  .status,
              201);
}

TEST_F(Scheduling, ConcurrentRepeatsWithOneKeyBookOnce) {
    std::vector<std::thread> threads;
    std::vector<Reply> replies(8);
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            replies[i] = book("2026-12-01T14:00:00Z", {{"Idempotency-Key", "same"}});
        });
    for (auto& t : threads) t.join();
    for (const auto& r : replies) {
        EXPECT_EQ(r.status, 201) << r.raw;
        EXPECT_EQ(r.body["id"], replies[0].body["id"]);
    }
    EXPECT_EQ(count("appointments"), 1);
}

TEST_F(Scheduling, RescheduleNeedsTheCurrentETag) {
    auto booked = book("2026-12-01T14:00:00Z");
    auto url = "/api/v1/appointments/" + booked.body["id"].get<std::string>();
    json move = {{"starts_at", "2026-12-01T16:00:00Z"}};
    EXPECT_EQ(call("PATCH", url, admin_, move).status, 428);
    EXPECT_EQ(call("PATCH", url, admin_, move, {{"If-Match", "\"7\""}}).status, 412);
    auto moved = call("PATCH", url, admin_, move, {{"If-Match", "\"1\""}});
    ASSERT_EQ(moved.status, 200) << moved.raw;
    EXPECT_EQ(moved.body["starts_at"], "2026-12-01T16:00:00Z");
    EXPECT_EQ(moved.body["version"], 2);
    EXPECT_EQ(moved.body["check_in_code"], booked.body["check_in_code"]);
    EXPECT_EQ(moved.header("ETag"), "\"2\"");
    // The old ETag is stale now.
    EXPECT_EQ(call("PATCH", url, admin_, json{{"starts_at", "2026-12-01T14:00:00Z"}},
                   {{"If-Match", "\"1\""}})
                  .status,
              412);
    EXPECT_EQ(count("appointment_history WHERE action = 'rescheduled'"), 1);
    // The old place is free again, the new one taken.
    auto list = slots("2026-12-01").body["slots"];
    EXPECT_EQ(list[0]["available"], 1);
    EXPECT_EQ(list[4]["available"], 0);
    // Moving onto a taken place: 409.
    auto other = book("2026-12-01T14:00:00Z");
    ASSERT_EQ(other.status, 201);
    EXPECT_EQ(call("PATCH", url, admin_, json{{"starts_at", "2026-12-01T14:00:00Z"}},
                   {{"If-Match", "\"2\""}})
                  .status,
              409);
}

TEST_F(Scheduling, CancelKeepsTheRecordAndFreesThePlace) {
    auto booked = book("2026-12-01T14:00:00Z");
    auto url = "/api/v1/appointments/" + booked.body["id"].get<std::string>();
    EXPECT_EQ(call("POST", url + "/cancel", admin_, json::object()).status, 422);
    auto cancelled = call("POST", url + "/cancel", admin_, json{{"reason", "Citizen called"}});
    ASSERT_EQ(cancelled.status, 200) << cancelled.raw;
    EXPECT_EQ(cancelled.body["status"], "cancelled");
    EXPECT_EQ(cancelled.body["cancel_reason"], "Citizen called");
    EXPECT_EQ(call("POST", url + "/cancel", admin_, json{{"reason", "again"}}).status, 409);
    EXPECT_EQ(call("PATCH", url, admin_, json{{"starts_at", "2026-12-01T15:00:00Z"}},
                   {{"If-Match", "\"2\""}})
                  .status,
              409);
    EXPECT_EQ(count("appointments"), 1);
    EXPECT_EQ(book("2026-12-01T14:00:00Z").status, 201);
}

TEST_F(Scheduling, AppointmentsAreListedByLocalDateAndStatus) {
    book("2026-12-01T14:00:00Z");
    book("2026-12-01T16:30:00Z");  // 11:30 local
    auto list = [&](const std::string& query) {
        auto r = call("GET", "/api/v1/appointments?" + query, admin_);
        EXPECT_EQ(r.status, 200) << r.raw;
        return r.body;
    };
    EXPECT_EQ(list("site_id=" + site_ + "&date=2026-12-01")["appointments"].size(), 2u);
    EXPECT_EQ(list("site_id=" + site_ + "&date=2026-12-02")["appointments"].size(), 0u);
    EXPECT_EQ(list("status=cancelled")["appointments"].size(), 0u);
    auto page = list("site_id=" + site_ + "&limit=1");
    ASSERT_EQ(page["appointments"].size(), 1u);
    auto next =
        list("site_id=" + site_ + "&limit=1&cursor=" + page["next_cursor"].get<std::string>());
    ASSERT_EQ(next["appointments"].size(), 1u);
    EXPECT_EQ(next["appointments"][0]["starts_at"], "2026-12-01T16:30:00Z");
    EXPECT_FALSE(next.contains("next_cursor"));
    EXPECT_EQ(call("GET", "/api/v1/appointments?date=2026-12-01", admin_).status, 422);
    EXPECT_EQ(call("GET", "/api/v1/appointments?status=lost", admin_).status, 422);
}

TEST_F(Scheduling, NoShowAfterTheGracePeriod) {
    auto booked = book("2026-12-01T14:00:00Z");
    ASSERT_EQ(booked.status, 201);
    set_now("2026-12-01T14:14:00Z");
    EXPECT_EQ(run_housekeeping().no_shows, 0);
    set_now("2026-12-01T14:15:00Z");
    EXPECT_EQ(run_housekeeping().no_shows, 1);
    auto got = call("GET", "/api/v1/appointments/" + booked.body["id"].get<std::string>(), admin_);
    EXPECT_EQ(got.body["status"], "no_show");
}

// The booking race: many requests for the only place at once; exactly one wins.
TEST_F(Scheduling, ConcurrentBookingsOfTheLastPlaceLetExactlyOneSucceed) {
    constexpr int kRequests = 32;
    std::vector<std::thread> threads;
    std::vector<int> statuses(kRequests);
    for (int i = 0; i < kRequests; ++i)
        threads.emplace_back([&, i] { statuses[i] = book("2026-12-01T15:00:00Z").status; });
    for (auto& t : threads) t.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 409), kRequests - 1);
    EXPECT_EQ(count("appointments"), 1);
}

TEST_F(Scheduling, ConcurrentBookingsFillEveryPlaceButNoMore) {
    // Two booths and two agents: two places per slot.
    make_booth(site_, "Cabine 2");
    std::string second = make_agent("luc@example.org", {"agent"}, json::array({site_}),
                                    json::array({service_}))["id"];
    set_availability(second,
                     {{{"weekday", 2}, {"start", "09:00"}, {"end", "12:00"}, {"site_id", site_}}});
    constexpr int kRequests = 32;
    std::vector<std::thread> threads;
    std::vector<int> statuses(kRequests);
    for (int i = 0; i < kRequests; ++i)
        threads.emplace_back([&, i] { statuses[i] = book("2026-12-01T15:00:00Z").status; });
    for (auto& t : threads) t.join();
    std::string all;
    for (int s : statuses) all += std::to_string(s) + " ";
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 2) << all;
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 409), kRequests - 2) << all;
    EXPECT_EQ(count("appointments"), 2);
    EXPECT_EQ(count("(SELECT DISTINCT booth_id FROM appointments) b"), 2);
    EXPECT_EQ(count("(SELECT DISTINCT agent_id FROM appointments) a"), 2);
}

// A booking takes its site's turn only while it chooses and inserts (a session lock, released
// before the commit): whatever the answer, no advisory lock is left behind to stall the next one.
TEST_F(Scheduling, EveryBookingAnswerReleasesTheSiteTurn) {
    auto advisory_locks = [&] {
        return count(
            "pg_locks WHERE locktype = 'advisory' AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())");
    };
    EXPECT_EQ(book("2026-12-01T14:00:00Z").status, 201);
    EXPECT_EQ(advisory_locks(), 0);
    EXPECT_EQ(book("2026-12-01T14:00:00Z").status, 409);
    EXPECT_EQ(advisory_locks(), 0);
    EXPECT_EQ(book("2026-12-01T14:10:00Z").status, 422);
    EXPECT_EQ(advisory_locks(), 0);
    // A failure inside the booking statement itself (as if a concurrent booking had taken the
    // place: the server tries again, then answers 409).
    sql().exec(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'taken' USING ERRCODE = 'exclusion_violation'; END $$");
    sql().exec(
        "CREATE TRIGGER refuse BEFORE INSERT ON appointments FOR EACH ROW EXECUTE FUNCTION "
        "refuse()");
    EXPECT_EQ(book("2026-12-01T14:30:00Z").status, 409);
    EXPECT_EQ(advisory_locks(), 0);
    sql().exec("DROP TRIGGER refuse ON appointments");
    EXPECT_EQ(book("2026-12-01T14:30:00Z").status, 201);
    EXPECT_EQ(count("appointments"), 2);
}

TEST_F(Scheduling, TheDatabaseItselfRefusesADoubleBooking) {
    auto booked = book("2026-12-01T14:00:00Z");
    ASSERT_EQ(booked.status, 201);
    // Around the API: the exclusion constraints still hold.
    EXPECT_THROW(sql().exec("INSERT INTO appointments (site_id, service_id, booth_id, agent_id, "
                            "starts_at, ends_at, citizen_name, citizen_language, check_in_code, "
                            "created_by) SELECT site_id, service_id, booth_id, agent_id, "
                            "starts_at + interval '10 minutes', ends_at, 'X', 'fr', 'ZZZZZZ', 't' "
                            "FROM appointments"),
                 db::Error);
}

}  // namespace vg::test
