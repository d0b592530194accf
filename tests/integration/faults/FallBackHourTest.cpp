// The night clocks fall back (America/Toronto, first Sunday of November: 02:00 EDT becomes
// 01:00 EST, so 01:00-02:00 local happens twice), through the real server and its clock: the
// next such Sunday is always less than a year ahead, inside the 400 days bookings reach.
// An agent who works 00:00-04:00 local that night works five real hours; the slots:
//   - are the ten half-hours from 04:00Z to 09:00Z, each start once, none overlapping, both
//     01:00 and both 01:30 included (the same local time, different instants);
//   - each books once (201, with the instant asked for), a second booking of any of them is
//     refused (409: one booth, one agent), and a start off the grid is refused (422);
//   - are all listed under the local date of that Sunday, none under the Saturday.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>

#include "integration/ServerProcess.hpp"
#include "integration/faults/RestClient.hpp"
#include "support/TestDatabase.hpp"

namespace vg::test::faults {
namespace {

using nlohmann::json;
using namespace std::chrono;

const std::string kAdminKey = "bootstrap-key-for-the-fall-back-hour-0123456789";

std::string date_text(year_month_day day) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                  static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    return text;
}

// The first Sunday of November at least two days from now (this year's or next year's).
sys_days next_fall_back_sunday() {
    auto today = floor<days>(system_clock::now());
    auto this_year = year_month_day(today).year();
    for (auto y : {this_year, this_year + years(1)}) {
        sys_days sunday = y / November / Sunday[1];
        if (sunday > today + days(1)) return sunday;
    }
    throw std::logic_error("unreachable");
}

std::string instant(sys_days day, int hour, int minute) {
    char text[32];
    std::snprintf(text, sizeof text, "%sT%02d:%02d:00Z", date_text(year_month_day(day)).c_str(),
                  hour, minute);
    return text;
}

TEST(FallBackHour, SlotsAndBookingsOverTheRepeatedHour) {
    auto started = steady_clock::now();
    TestDatabase database(TestDatabase::Schema::Empty);
    ServerProcess server(database.url(), {{"VISIOGUICHET_BOOTSTRAP_ADMIN_KEY", kAdminKey}});
    RestClient rest(server.http_port());
    auto site = rest.expect(201, "POST", "/sites", kAdminKey,
                            {{"code", "NIC"},
                             {"name_fr", "Nicolet"},
                             {"name_en", "Nicolet"},
                             {"timezone", "America/Toronto"}})
                    .value("id", "");
    auto service = rest.expect(201, "POST", "/services", kAdminKey,
                               {{"code", "EMP"},
                                {"name_fr", "Emploi"},
                                {"name_en", "Employment"},
                                {"duration_minutes", 30},
                                {"walk_in_allowed", false}})
                       .value("id", "");
    rest.expect(201, "POST", "/sites/" + site + "/booths", kAdminKey, {{"label", "Cabine 1"}});
    auto agent = rest.expect(201, "POST", "/agents", kAdminKey,
                             {{"email", "marie@example.org"},
                              {"display_name", "Marie"},
                              {"password", kAgentPassword},
                              {"roles", {"agent"}},
                              {"site_ids", {site}},
                              {"service_ids", {service}},
                              {"languages", {"fr"}}})
                     .value("id", "");
    rest.expect(
        200, "PUT", "/agents/" + agent + "/availability", kAdminKey,
        {{"rules", {{{"weekday", 7}, {"start", "00:00"}, {"end", "04:00"}, {"site_id", site}}}}});

    auto sunday = next_fall_back_sunday();
    const auto date = date_text(year_month_day(sunday));
    std::cout << "clocks fall back in Toronto on " << date << "\n";
    auto slots_path = "/sites/" + site + "/slots?service_id=" + service + "&date=" + date;
    auto slots = rest.expect(200, "GET", slots_path, kAdminKey).value("slots", json::array());

    // 00:00-01:00 EDT (UTC-4), 01:00-02:00 EDT, 01:00-02:00 EST (UTC-5), 02:00-04:00 EST.
    std::vector<std::string> expected;
    for (int minutes = 4 * 60; minutes < 9 * 60; minutes += 30)
        expected.push_back(instant(sunday, minutes / 60, minutes % 60));
    std::vector<std::string> starts;
    for (const auto& slot : slots) starts.push_back(slot.value("starts_at", ""));
    EXPECT_EQ(starts, expected) << slots.dump();
    for (std::size_t i = 0; i + 1 < slots.size(); ++i)
        EXPECT_LE(slots[i].value("ends_at", ""), slots[i + 1].value("starts_at", ""))
            << "slots overlap: " << slots[i].dump() << " " << slots[i + 1].dump();

    auto book = [&](const std::string& starts_at) {
        return rest.call("POST", "/appointments", kAdminKey,
                         {{"site_id", site},
                          {"service_id", service},
                          {"starts_at", starts_at},
                          {"citizen", {{"name", "Jean Tremblay"}, {"language", "fr"}}}});
    };
    std::set<std::string> ids;
    for (const auto& start : expected) {
        auto booked = book(start);
        ASSERT_EQ(booked.status, 201) << start << ": " << booked.raw;
        EXPECT_EQ(booked.body.value("starts_at", ""), start);
        ids.insert(booked.body.value("id", ""));
    }
    // One booth and one agent: every slot of that night is taken once, and only once.
    for (const auto& start : {expected[2], expected[3], expected[4], expected[5]}) {
        auto again = book(start);
        EXPECT_EQ(again.status, 409) << start << " booked twice: " << again.raw;
    }
    EXPECT_EQ(book(instant(sunday, 5, 15)).status, 422) << "01:15 EDT is not on the grid";
    EXPECT_EQ(book(instant(sunday, 6, 15)).status, 422) << "01:15 EST is not on the grid";
    for (const auto& slot : rest.expect(200, "GET", slots_path, kAdminKey)["slots"])
        EXPECT_EQ(slot.value("available", -1), 0) << slot.dump();

    // Listed under the Sunday's local date, every one once; none under the Saturday's.
    auto listed =
        rest.expect(200, "GET", "/appointments?site_id=" + site + "&date=" + date, kAdminKey)
            .value("appointments", json::array());
    std::set<std::string> listed_ids;
    for (const auto& appointment : listed) listed_ids.insert(appointment.value("id", ""));
    EXPECT_EQ(listed.size(), ids.size());
    EXPECT_EQ(listed_ids, ids);
    auto saturday = date_text(year_month_day(sunday - days(1)));
    EXPECT_EQ(
        rest.expect(200, "GET", "/appointments?site_id=" + site + "&date=" + saturday, kAdminKey)
            .value("appointments", json::array())
            .size(),
        0u);
    std::cout << "test took " << duration_cast<milliseconds>(steady_clock::now() - started).count()
              << " ms\n";
}

}  // namespace
}  // namespace vg::test::faults
