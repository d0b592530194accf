// Administration routes: sites, booths and enrolment, services, agents, availability.
#include "api/ApiFixture.hpp"

namespace vg::test {

using nlohmann::json;

TEST_F(ApiTest, SiteIsCreatedListedAndRead) {
    auto site = make_site("NIC");
    EXPECT_EQ(site["code"], "NIC");
    EXPECT_EQ(site["timezone"], "America/Toronto");
    auto id = site["id"].get<std::string>();
    auto one = call("GET", "/api/v1/sites/" + id, admin_);
    EXPECT_EQ(one.status, 200);
    EXPECT_EQ(one.body, site);
    auto list = call("GET", "/api/v1/sites", admin_);
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.body["sites"].size(), 1u);
    EXPECT_FALSE(list.body.contains("next_cursor"));
    EXPECT_EQ(count("audit_events WHERE action = 'site.create'"), 1);
}

TEST_F(ApiTest, SiteDefaultsToTorontoAndRefusesDuplicatesAndBadZones) {
    auto r = call("POST", "/api/v1/sites", admin_,
                  json{{"code", "GEN"}, {"name_fr", "Gentilly"}, {"name_en", "Gentilly"}});
    ASSERT_EQ(r.status, 201) << r.raw;
    EXPECT_EQ(r.body["timezone"], "America/Toronto");
    EXPECT_EQ(call("POST", "/api/v1/sites", admin_,
                   json{{"code", "GEN"}, {"name_fr", "x"}, {"name_en", "x"}})
                  .status,
              409);
    auto bad =
        call("POST", "/api/v1/sites", admin_,
             json{{"code", "X"}, {"name_fr", "x"}, {"name_en", "x"}, {"timezone", "Mars/Olympus"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.body["errors"][0]["field"], "timezone");
}

TEST_F(ApiTest, ListsArePagedWithCursors) {
    for (int i = 0; i < 5; ++i) make_site("S" + std::to_string(i));
    std::set<std::string> seen;
    std::string cursor;
    int pages = 0;
    do {
        auto r = call("GET", "/api/v1/sites?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor),
                      admin_);
        ASSERT_EQ(r.status, 200) << r.raw;
        for (const auto& s : r.body["sites"]) seen.insert(s["id"].get<std::string>());
        cursor = r.body.value("next_cursor", "");
        ++pages;
    } while (!cursor.empty() && pages < 10);
    EXPECT_EQ(seen.size(), 5u);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(call("GET", "/api/v1/sites?limit=501", admin_).status, 422);
    EXPECT_EQ(call("GET", "/api/v1/sites?limit=0", admin_).status, 422);
    EXPECT_EQ(call("GET", "/api/v1/sites?cursor=%27%3B--", admin_).status, 422);
}

TEST_F(ApiTest, BoothEnrolsOnceAndRevocationStopsItsToken) {
    auto site = make_site("NIC");
    auto booth = make_booth(site["id"]);
    EXPECT_EQ(booth["status"], "pending");
    auto token = booth["enrollment_token"].get<std::string>();
    EXPECT_GE(token.size(), 22u);
    EXPECT_EQ(booth["enrollment_url"], "http://127.0.0.1:8080/booth/#enroll=" + token);
    auto enrolled = call("POST", "/api/v1/booth/enroll", "", json{{"enrollment_token", token}});
    ASSERT_EQ(enrolled.status, 200) << enrolled.raw;
    auto booth_token = enrolled.body["booth_token"].get<std::string>();
    EXPECT_EQ(enrolled.body["booth"]["status"], "enrolled");
    EXPECT_EQ(enrolled.body["booth"]["site"]["code"], "NIC");
    // Single use.
    EXPECT_EQ(call("POST", "/api/v1/booth/enroll", "", json{{"enrollment_token", token}}).status,
              401);
    EXPECT_EQ(call("GET", "/api/v1/booth/state", booth_token).status, 200);
    auto booths = call("GET", "/api/v1/sites/" + site["id"].get<std::string>() + "/booths", admin_);
    ASSERT_EQ(booths.body["booths"].size(), 1u);
    EXPECT_FALSE(booths.body["booths"][0].contains("enrollment_token"));
    EXPECT_EQ(call("DELETE", "/api/v1/booths/" + booth["id"].get<std::string>(), admin_).status,
              204);
    EXPECT_EQ(call("GET", "/api/v1/booth/state", booth_token).status, 401);
    EXPECT_EQ(count("audit_events WHERE action = 'booth.revoke'"), 1);
}

TEST_F(ApiTest, EnrolmentTokenExpires) {
    auto site = make_site("NIC");
    auto booth = make_booth(site["id"]);
    set_now("2026-12-03T12:00:01Z");  // 72 h later
    EXPECT_EQ(call("POST", "/api/v1/booth/enroll", "",
                   json{{"enrollment_token", booth["enrollment_token"]}})
                  .status,
              401);
}

TEST_F(ApiTest, AgentIsCreatedWithoutPasswordInAnswersAndLogsIn) {
    auto site = make_site("NIC");
    auto service = make_service("EMP", 30);
    auto agent = make_agent("Marie@Example.org", {"agent"}, json::array({site["id"]}),
                            json::array({service["id"]}));
    EXPECT_FALSE(agent.contains("password"));
    EXPECT_FALSE(agent.contains("password_hash"));
    EXPECT_EQ(agent["site_ids"], json::array({site["id"]}));
    EXPECT_EQ(agent["languages"], json::array({"en", "fr"}));
    EXPECT_EQ(call("POST", "/api/v1/agents", admin_,
                   json{{"email", "marie@example.org"},
                        {"display_name", "x"},
                        {"password", "long enough pw"},
                        {"roles", {"agent"}},
                        {"site_ids", json::array()},
                        {"service_ids", json::array()},
                        {"languages", {"fr"}}})
                  .status,
              409);
    auto stored = sql().exec("SELECT password_hash FROM agents");
    EXPECT_EQ(std::string(stored.get(0, 0)).rfind("$argon2id$", 0), 0u);

    auto r = call("POST", "/api/v1/auth/login", "",
                  json{{"email", "marie@example.org"}, {"password", kPassword}});
    ASSERT_EQ(r.status, 200) << r.raw;
    auto token = r.body["token"].get<std::string>();
    EXPECT_EQ(r.body["agent"]["id"], agent["id"]);
    auto cookie = r.header("Set-Cookie");
    EXPECT_NE(cookie.find("vg_session=" + token), std::string::npos);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    auto me = call("GET", "/api/v1/agents/me", token);
    ASSERT_EQ(me.status, 200) << me.raw;
    EXPECT_EQ(me.body["presence"]["state"], "offline");
    // The cookie alone works too, for the console.
    EXPECT_EQ(
        call("GET", "/api/v1/agents/me", "", std::string(), {{"Cookie", "vg_session=" + token}})
            .status,
        200);
    EXPECT_EQ(call("POST", "/api/v1/auth/logout", token).status, 204);
    EXPECT_EQ(call("GET", "/api/v1/agents/me", token).status, 401);
}

TEST_F(ApiTest, WrongPasswordOrUnknownEmailIs401AndAudited) {
    make_agent("a@example.org", {"agent"}, json::array(), json::array());
    EXPECT_EQ(call("POST", "/api/v1/auth/login", "",
                   json{{"email", "a@example.org"}, {"password", "wrong password"}})
                  .status,
              401);
    EXPECT_EQ(call("POST", "/api/v1/auth/login", "",
                   json{{"email", "nobody@example.org"}, {"password", kPassword}})
                  .status,
              401);
    EXPECT_EQ(count("audit_events WHERE action = 'agent.login_failed'"), 2);
    EXPECT_EQ(count("agent_sessions"), 0);
}

TEST_F(ApiTest, AgentSessionExpires) {
    make_agent("a@example.org", {"agent"}, json::array(), json::array());
    auto token = login("a@example.org");
    set_now("2026-12-01T00:00:01Z");  // 12 h later
    EXPECT_EQ(call("GET", "/api/v1/agents/me", token).status, 401);
}

TEST_F(ApiTest, AgentRefusesUnknownSitesAndBadLists) {
    auto r = call("POST", "/api/v1/agents", admin_,
                  json{{"email", "a@example.org"},
                       {"display_name", "A"},
                       {"password", "short"},
                       {"roles", {"root"}},
                       {"site_ids", {"0f8fad5b-d9cb-469f-a165-70867728950e"}},
                       {"service_ids", {"nope"}},
                       {"languages", {"FRENCH"}}});
    ASSERT_EQ(r.status, 422);
    std::set<std::string> fields;
    for (const auto& e : r.body["errors"]) fields.insert(e["field"].get<std::string>());
    EXPECT_EQ(fields,
              (std::set<std::string>{"password", "roles", "site_ids", "service_ids", "languages"}));
    EXPECT_EQ(count("agents"), 0);
}

TEST_F(ApiTest, AvailabilityIsReplacedAndValidated) {
    auto site = make_site("NIC");
    auto other = make_site("GEN");
    auto service = make_service("EMP", 30);
    auto agent = make_agent("a@example.org", {"agent"}, json::array({site["id"]}),
                            json::array({service["id"]}));
    auto id = agent["id"].get<std::string>();
    set_availability(
        id, {{{"weekday", 1}, {"start", "09:00"}, {"end", "12:00"}, {"site_id", site["id"]}},
             {{"weekday", 1}, {"start", "13:00"}, {"end", "24:00"}, {"site_id", site["id"]}}});
    auto got = call("GET", "/api/v1/agents/" + id + "/availability", admin_);
    ASSERT_EQ(got.status, 200);
    ASSERT_EQ(got.body["rules"].size(), 2u);
    EXPECT_EQ(got.body["rules"][1]["end"], "24:00");
    set_availability(
        id, {{{"weekday", 2}, {"start", "08:30"}, {"end", "10:00"}, {"site_id", site["id"]}}});
    EXPECT_EQ(count("availability_rules"), 1);

    auto before = snapshot();
    auto put = [&](const json& rules) {
        return call("PUT", "/api/v1/agents/" + id + "/availability", admin_, json{{"rules", rules}})
            .status;
    };
    EXPECT_EQ(
        put({{{"weekday", 8}, {"start", "09:00"}, {"end", "10:00"}, {"site_id", site["id"]}}}),
        422);
    EXPECT_EQ(
        put({{{"weekday", 1}, {"start", "10:00"}, {"end", "09:00"}, {"site_id", site["id"]}}}),
        422);
    EXPECT_EQ(put({{{"weekday", 1}, {"start", "9:00"}, {"end", "10:00"}, {"site_id", site["id"]}}}),
              422);
    EXPECT_EQ(
        put({{{"weekday", 1}, {"start", "09:00"}, {"end", "10:00"}, {"site_id", other["id"]}}}),
        422);  // a site the agent does not cover
    EXPECT_EQ(
        put({{{"weekday", 1}, {"start", "09:00"}, {"end", "11:00"}, {"site_id", site["id"]}},
             {{"weekday", 1}, {"start", "10:00"}, {"end", "12:00"}, {"site_id", site["id"]}}}),
        422);  // overlap
    EXPECT_EQ(put({{{"weekday", 1},
                    {"start", "09:00"},
                    {"end", "10:00"},
                    {"site_id", site["id"]},
                    {"extra", 1}}}),
              422);
    EXPECT_EQ(snapshot(), before);
}

// No lockout any more (issue 14): the guessing client waits, growing; see LoginLimitsTest.
TEST_F(ApiTest, RepeatedWrongPasswordsSlowTheClientDown) {
    make_agent("a@example.org", {"agent"}, json::array(), json::array());
    auto attempt = [&](const std::string& password) {
        return call("POST", "/api/v1/auth/login", "",
                    json{{"email", "a@example.org"}, {"password", password}});
    };
    for (int i = 0; i < 5; ++i) EXPECT_EQ(attempt("wrong password").status, 401);
    auto waiting = attempt(kPassword);
    EXPECT_EQ(waiting.status, 429);
    EXPECT_EQ(waiting.header("Retry-After"), "1");
    set_now("2026-11-30T12:00:01Z");
    EXPECT_EQ(attempt(kPassword).status, 200);
}

TEST_F(ApiTest, ABoothGetsANewEnrolmentUrlAndTheOldDeviceStopsWhenItIsUsed) {
    auto site = make_site("NIC");
    auto booth = make_booth(site["id"]);
    auto id = booth["id"].get<std::string>();
    auto first = call("POST", "/api/v1/booth/enroll", "",
                      json{{"enrollment_token", booth["enrollment_token"]}});
    ASSERT_EQ(first.status, 200);
    auto old_device = first.body["booth_token"].get<std::string>();
    auto again = call("POST", "/api/v1/booths/" + id + "/enrollment", admin_);
    ASSERT_EQ(again.status, 200) << again.raw;
    EXPECT_EQ(again.body["status"], "pending");
    EXPECT_EQ(call("GET", "/api/v1/booth/state", old_device).status, 200);  // until used
    auto second = call("POST", "/api/v1/booth/enroll", "",
                       json{{"enrollment_token", again.body["enrollment_token"]}});
    ASSERT_EQ(second.status, 200);
    EXPECT_EQ(call("GET", "/api/v1/booth/state", old_device).status, 401);
    EXPECT_EQ(call("GET", "/api/v1/booth/state", second.body["booth_token"]).status, 200);
    EXPECT_EQ(call("DELETE", "/api/v1/booths/" + id, admin_).status, 204);
    EXPECT_EQ(call("POST", "/api/v1/booths/" + id + "/enrollment", admin_).status, 409);
}

}  // namespace vg::test
