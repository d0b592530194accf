// Hostile and careless input: each answer is a 4xx problem, and the database is unchanged.
#include "api/ApiFixture.hpp"

namespace vg::test {

using nlohmann::json;

class BadInput : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        site_ = make_site("NIC")["id"];
        service_ = make_service("EMP", 30)["id"];
        booth_token_ = enroll(site_);
        agent_ = make_agent("marie@example.org", {"agent"}, json::array({site_}),
                            json::array({service_}))["id"];
        set_availability(
            agent_, {{{"weekday", 2}, {"start", "09:00"}, {"end", "12:00"}, {"site_id", site_}}});
        auto booked = call("POST", "/api/v1/appointments", admin_, good_booking());
        ASSERT_EQ(booked.status, 201);
        appointment_ = booked.body["id"];
    }

    json good_booking() const {
        return {{"site_id", site_},
                {"service_id", service_},
                {"starts_at", "2026-12-01T15:00:00Z"},
                {"citizen", {{"name", "Jean"}, {"language", "fr"}}}};
    }

    // Sends a raw body (not necessarily JSON, not necessarily UTF-8).
    Reply raw(const std::string& method, const std::string& path, const std::string& body,
              const std::string& token, const std::string& type = "application/json") {
        return call(method, path, token, body, {{"Content-Type", type}});
    }

    std::string site_, service_, booth_token_, agent_, appointment_;
};

TEST_F(BadInput, EveryBadRequestIsRefusedAndChangesNothing) {
    const std::string huge(100000, 'x');
    const std::string long_name(201, 'x');
    auto with = [&](json body, const std::string& key, json value) {
        body[key] = std::move(value);
        return body.dump();
    };
    auto citizen = [&](const std::string& key, json value) {
        json body = good_booking();
        body["citizen"][key] = std::move(value);
        return body.dump();
    };
    struct Bad {
        std::string method, path, body, token, type = "application/json";
    };
    const std::string a = "/api/v1/appointments";
    const std::string sites = "/api/v1/sites";
    json site = {{"code", "GEN"}, {"name_fr", "G"}, {"name_en", "G"}};
    std::vector<Bad> cases = {
        // Malformed JSON, wrong media types, wrong top-level types.
        {"POST", sites, "{\"code\": ", admin_},
        {"POST", sites, "{'code': 'X'}", admin_},
        {"POST", sites, "[1, 2]", admin_},
        {"POST", sites, "\"just a string\"", admin_},
        {"POST", sites, site.dump(), admin_, "text/plain"},
        {"POST", sites, site.dump(), admin_, "application/x-www-form-urlencoded"},
        {"POST", sites, "{\"code\": \"X\", \"name_fr\": \"\xff\xfe\", \"name_en\": \"x\"}", admin_},
        {"POST", sites, huge, admin_},
        // Wrong types, unknown fields, limits.
        {"POST", sites, with(site, "code", 12), admin_},
        {"POST", sites, with(site, "code", "Robert'); DROP TABLE sites;--"), admin_},
        {"POST", sites, with(site, "name_fr", long_name), admin_},
        {"POST", sites, with(site, "name_fr", "two\nlines"), admin_},
        {"POST", sites, with(site, "name_fr", std::string("nul\0byte", 8)), admin_},
        {"POST", sites, with(site, "timezone", "America/Toront"), admin_},
        {"POST", sites, with(site, "timezone", "UTC+05:00"), admin_},
        {"POST", sites, with(site, "timezone", "'; SELECT pg_sleep(10); --"), admin_},
        {"POST", sites, with(site, "admin", true), admin_},
        {"POST", "/api/v1/services",
         json{{"code", "S"}, {"name_fr", "s"}, {"name_en", "s"}, {"duration_minutes", "30"}}.dump(),
         admin_},
        {"POST", "/api/v1/services",
         json{{"code", "S"}, {"name_fr", "s"}, {"name_en", "s"}, {"duration_minutes", 1e30}}.dump(),
         admin_},
        {"POST", "/api/v1/services",
         json{{"code", "S"}, {"name_fr", "s"}, {"name_en", "s"}, {"duration_minutes", 2}}.dump(),
         admin_},
        {"POST", "/api/v1/services",
         json{{"code", "S"},
              {"name_fr", "s"},
              {"name_en", "s"},
              {"duration_minutes", 30},
              {"walk_in_allowed", "yes"}}
             .dump(),
         admin_},
        // Invalid UUIDs, in bodies and in paths.
        {"POST", a, with(good_booking(), "site_id", "not-a-uuid"), admin_},
        {"POST", a, with(good_booking(), "site_id", "0f8fad5b-d9cb-469f-a165-70867728950e"),
         admin_},
        {"POST", a, with(good_booking(), "service_id", site_), admin_},
        {"GET", a + "/123", "", admin_},
        {"GET", a + "/0f8fad5b-d9cb-469f-a165-70867728950e", "", admin_},
        {"POST", "/api/v1/sites/%27%20OR%201%3D1/booths", json{{"label", "x"}}.dump(), admin_},
        // Impossible dates and times.
        {"POST", a, with(good_booking(), "starts_at", "2026-02-30T15:00:00Z"), admin_},
        {"POST", a, with(good_booking(), "starts_at", "2026-12-01T25:00:00Z"), admin_},
        {"POST", a, with(good_booking(), "starts_at", "2026-12-01 15:00"), admin_},
        {"POST", a, with(good_booking(), "starts_at", "tomorrow"), admin_},
        {"POST", a, with(good_booking(), "starts_at", 1764601200), admin_},
        {"POST", a, with(good_booking(), "starts_at", "99999-12-01T15:00:00Z"), admin_},
        {"GET", "/api/v1/sites/" + site_ + "/slots?service_id=" + service_ + "&date=2026-13-01", "",
         admin_},
        {"GET", "/api/v1/appointments?site_id=" + site_ + "&date=yesterday", "", admin_},
        {"GET", "/api/v1/stats/daily?site_id=" + site_ + "&date=2026-02-29", "", admin_},
        // Citizen data.
        {"POST", a, citizen("name", ""), admin_},
        {"POST", a, citizen("name", long_name), admin_},
        {"POST", a, citizen("language", "french"), admin_},
        {"POST", a, citizen("email", "not an address"), admin_},
        {"POST", a, citizen("phone", "<script>"), admin_},
        {"POST", a, citizen("ssn", "123"), admin_},
        // Reschedules and cancels.
        {"PATCH", a + "/" + appointment_,
         json{{"starts_at", "2026-12-01T15:00:00Z"}, {"status", "completed"}}.dump(), admin_},
        {"POST", a + "/" + appointment_ + "/cancel", json{{"reason", huge}}.dump(), admin_},
        {"POST", a + "/" + appointment_ + "/cancel", json{{"reason", 42}}.dump(), admin_},
        // Availability.
        {"PUT", "/api/v1/agents/" + agent_ + "/availability",
         json{{"rules",
               {{{"weekday", 0}, {"start", "09:00"}, {"end", "10:00"}, {"site_id", site_}}}}}
             .dump(),
         admin_},
        {"PUT", "/api/v1/agents/" + agent_ + "/availability",
         json{{"rules",
               {{{"weekday", 1}, {"start", "25:00"}, {"end", "26:00"}, {"site_id", site_}}}}}
             .dump(),
         admin_},
        {"PUT", "/api/v1/agents/" + agent_ + "/availability", json{{"rules", "all"}}.dump(),
         admin_},
        // Booth input.
        {"POST", "/api/v1/booth/walk-in", json{{"service_id", service_}, {"language", 7}}.dump(),
         booth_token_},
        {"POST", "/api/v1/booth/check-in", json{{"code", huge}}.dump(), booth_token_},
        {"POST", "/api/v1/booth/check-in", json{{"code", json::array()}}.dump(), booth_token_},
        // Sessions and presence.
        {"PUT", "/api/v1/agents/me/presence", json{{"state", "in_call"}}.dump(), admin_},
    };
    auto before = snapshot();
    for (const auto& c : cases) {
        auto r = raw(c.method, c.path, c.body, c.token, c.type);
        std::string what = c.method + " " + c.path + " " + c.body.substr(0, 120) + " -> " +
                           std::to_string(r.status) + " " + r.raw;
        EXPECT_GE(r.status, 400) << what;
        EXPECT_LT(r.status, 500) << what;
        EXPECT_EQ(r.content_type, "application/problem+json") << what;
        EXPECT_TRUE(r.body.is_object() && r.body.contains("type") && r.body.contains("title") &&
                    r.body["status"] == r.status)
            << what;
    }
    EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, StatusesNameTheProblem) {
    EXPECT_EQ(raw("POST", "/api/v1/sites", "{", admin_).status, 400);
    EXPECT_EQ(raw("POST", "/api/v1/sites", "{}", admin_, "text/plain").status, 415);
    EXPECT_EQ(raw("POST", "/api/v1/sites", std::string(70000, ' '), admin_).status, 413);
    auto unknown = call("POST", "/api/v1/sites", admin_,
                        json{{"code", "X"}, {"name_fr", "x"}, {"name_en", "x"}, {"colour", 1}});
    EXPECT_EQ(unknown.status, 422);
    EXPECT_EQ(unknown.body["errors"][0], (json{{"field", "colour"}, {"message", "unknown field"}}));
    EXPECT_EQ(call("GET", "/api/v1/sites/not-a-uuid", admin_).status, 404);
}

TEST_F(BadInput, SqlMetacharactersAreStoredAsText) {
    auto r = call("POST", "/api/v1/sites", admin_,
                  json{{"code", "Q1"},
                       {"name_fr", "Robert'); DROP TABLE sites;--"},
                       {"name_en", "\"; DELETE FROM agents; \\"}});
    ASSERT_EQ(r.status, 201) << r.raw;
    auto got = call("GET", "/api/v1/sites/" + r.body["id"].get<std::string>(), admin_);
    EXPECT_EQ(got.body["name_fr"], "Robert'); DROP TABLE sites;--");
    EXPECT_EQ(got.body["name_en"], "\"; DELETE FROM agents; \\");
    EXPECT_EQ(count("agents"), 1);
}

}  // namespace vg::test
