#include "integration/faults/RestClient.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace vg::test::faults {

using nlohmann::json;

RestAnswer RestClient::call(const std::string& method, const std::string& path,
                            const std::string& token, const json& body, HttpHeaders headers,
                            std::chrono::milliseconds timeout) const {
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    std::string payload;
    if (!body.is_null()) {
        headers.emplace_back("Content-Type", "application/json");
        payload = body.dump();
    }
    auto response =
        http_request(method, "127.0.0.1", port_, "/api/v1" + path, headers, payload, timeout);
    RestAnswer answer;
    answer.status = response.status;
    answer.raw = response.body;
    answer.retry_after = response.header("Retry-After");
    if (!response.body.empty()) {
        answer.body = json::parse(response.body, nullptr, false);
        if (answer.body.is_discarded()) answer.body = nullptr;
    }
    return answer;
}

json RestClient::expect(int expected, const std::string& method, const std::string& path,
                        const std::string& token, const json& body) const {
    auto answer = call(method, path, token, body);
    EXPECT_EQ(answer.status, expected) << method << " " << path << ": " << answer.raw;
    return answer.body;
}

std::string utc_date(int days_later) {
    auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
               std::chrono::days(days_later);
    std::chrono::year_month_day ymd(day);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return text;
}

World make_world(const RestClient& rest, const std::string& admin_key, const std::string& tag,
                 int duration_minutes) {
    World world;
    world.admin_key = admin_key;
    world.site_id = rest.expect(201, "POST", "/sites", admin_key,
                                {{"code", "S" + tag},
                                 {"name_fr", "Nicolet"},
                                 {"name_en", "Nicolet"},
                                 {"timezone", "UTC"}})
                        .value("id", "");
    world.service_id = rest.expect(201, "POST", "/services", admin_key,
                                   {{"code", "E" + tag},
                                    {"name_fr", "Emploi"},
                                    {"name_en", "Employment"},
                                    {"duration_minutes", duration_minutes},
                                    {"walk_in_allowed", true}})
                           .value("id", "");
    auto booth = rest.expect(201, "POST", "/sites/" + world.site_id + "/booths", admin_key,
                             {{"label", "Cabine " + tag}});
    world.booth_id = booth.value("id", "");
    world.booth_token = rest.expect(200, "POST", "/booth/enroll", "",
                                    {{"enrollment_token", booth.value("enrollment_token", "")}})
                            .value("booth_token", "");
    world.agent_email = "agent-" + tag + "@example.org";
    world.agent_id = rest.expect(201, "POST", "/agents", admin_key,
                                 {{"email", world.agent_email},
                                  {"display_name", "Marie " + tag},
                                  {"password", kAgentPassword},
                                  {"roles", {"agent"}},
                                  {"site_ids", {world.site_id}},
                                  {"service_ids", {world.service_id}},
                                  {"languages", {"fr", "en"}}})
                         .value("id", "");
    json rules = json::array();
    for (int weekday = 1; weekday <= 7; ++weekday)
        rules.push_back({{"weekday", weekday},
                         {"start", "00:00"},
                         {"end", "23:59"},
                         {"site_id", world.site_id}});
    rest.expect(200, "PUT", "/agents/" + world.agent_id + "/availability", admin_key,
                {{"rules", rules}});
    world.agent_token = rest.expect(200, "POST", "/auth/login", "",
                                    {{"email", world.agent_email}, {"password", kAgentPassword}})
                            .value("token", "");
    return world;
}

}  // namespace vg::test::faults
