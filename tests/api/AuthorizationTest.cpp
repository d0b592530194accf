// The authorization matrix: every protected route, called by nobody, by an API key of each role,
// by an agent of the site, by an agent of another site, by a supervisor of another site, by the
// booth of the call in progress and by a second booth (of the other site). Nobody gets 401, a
// caller who may not gets 403, and each caller who may gets the exact status the route answers
// it (a 500 or a 404 where a 200 is due fails).
#include <functional>

#include "api/ApiFixture.hpp"

namespace vg::test {

using nlohmann::json;

namespace {

enum Caller {
    None,
    AdminKey,
    SchedulerKey,
    SupervisorKey,
    AgentHere,
    AgentElsewhere,
    SupervisorElsewhere,
    Booth,
    OtherBooth,
    kCallers
};
const char* kNames[] = {"nobody",     "admin key",       "scheduler key",        "supervisor key",
                        "agent here", "agent elsewhere", "supervisor elsewhere", "booth",
                        "other booth"};

struct Allowed {
    Caller caller;
    int status;  // what this caller gets, in the order the callers are tried
};

struct Case {
    std::string method;
    std::string pattern;  // as registered, for the coverage check
    std::string path;     // with ids filled in
    json body;
    std::vector<Allowed> allowed;
};

// The same status for each caller.
std::vector<Allowed> all(int status, const std::vector<Caller>& callers) {
    std::vector<Allowed> allowed;
    for (auto caller : callers) allowed.push_back({caller, status});
    return allowed;
}

}  // namespace

class Authorization : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        ctx_->options.agent_session_ttl = std::chrono::hours(72);
        ctx_->options.agent_session_idle = std::chrono::hours(72);
        site_ = make_site("NIC")["id"];
        other_site_ = make_site("GEN")["id"];
        service_ = make_service("EMP", 30)["id"];
        booth_token_ = enroll(site_);
        victim_booth_ = make_booth(site_, "Cabine 9")["id"];
        agent_ = make_agent("here@example.org", {"agent"}, json::array({site_}),
                            json::array({service_}))["id"];
        make_agent("there@example.org", {"agent"}, json::array({other_site_}),
                   json::array({service_}));
        make_agent("boss@example.org", json::array({"agent", "supervisor"}),
                   json::array({other_site_}), json::array({service_}));
        set_availability(
            agent_, {{{"weekday", 2}, {"start", "09:00"}, {"end", "12:00"}, {"site_id", site_}}});
        auto booked = call("POST", "/api/v1/appointments", admin_,
                           json{{"site_id", site_},
                                {"service_id", service_},
                                {"starts_at", "2026-12-01T14:00:00Z"},
                                {"citizen", {{"name", "Jean"}, {"language", "fr"}}}});
        ASSERT_EQ(booked.status, 201) << booked.raw;
        appointment_ = booked.body["id"];
        // A call in progress between the booth and the agent of the site.
        set_now("2026-12-01T13:50:00Z");
        auto checked = call("POST", "/api/v1/booth/check-in", booth_token_,
                            json{{"code", booked.body["check_in_code"]}});
        ASSERT_EQ(checked.status, 201) << checked.raw;
        entry_ = checked.body["queue_entry_id"];
        auto here = login("here@example.org");
        call("PUT", "/api/v1/agents/me/presence", here, json{{"state", "available"}});
        ASSERT_EQ(call("POST", "/api/v1/queue/claim-next", here).status, 200);
        auto accepted = call("POST", "/api/v1/queue/" + entry_ + "/accept", here);
        ASSERT_EQ(accepted.status, 201) << accepted.raw;
        session_ = accepted.body["session_id"];
        keys_[AdminKey] = admin_;
        keys_[SchedulerKey] = new_key("scheduler");
        keys_[SupervisorKey] = new_key("supervisor");
        keys_[Booth] = booth_token_;
        keys_[OtherBooth] = enroll(other_site_);
    }

    // A fresh token for each call: some calls (logout) end the caller's session.
    std::string token(Caller caller) {
        switch (caller) {
            case None:
                return {};
            case AgentHere:
                return login("here@example.org");
            case AgentElsewhere:
                return login("there@example.org");
            case SupervisorElsewhere:
                return login("boss@example.org");
            default:
                return keys_[caller];
        }
    }

    std::vector<Case> cases() {
        const std::vector<Caller> readers = {AdminKey,  SchedulerKey,   SupervisorKey,
                                             AgentHere, AgentElsewhere, SupervisorElsewhere};
        const std::vector<Caller> agents = {AgentHere, AgentElsewhere, SupervisorElsewhere};
        const std::vector<Caller> booths = {Booth, OtherBooth};
        const std::string s = "/api/v1/sites/" + site_;
        const std::string date = "&date=2026-12-01";
        return {
            {"POST", "/api/v1/auth/logout", "/api/v1/auth/logout", nullptr, all(204, agents)},
            {"POST", "/api/v1/sites", "/api/v1/sites", json::object(), all(422, {AdminKey})},
            {"GET", "/api/v1/sites", "/api/v1/sites", nullptr, all(200, readers)},
            {"GET", "/api/v1/sites/{id}", s, nullptr,
             all(200, {AdminKey, SchedulerKey, SupervisorKey, AgentHere})},
            {"POST", "/api/v1/sites/{id}/booths", s + "/booths", json::object(),
             all(422, {AdminKey})},
            {"GET", "/api/v1/sites/{id}/booths", s + "/booths", nullptr,
             all(200, {AdminKey, SupervisorKey})},
            {"DELETE", "/api/v1/booths/{id}", "/api/v1/booths/" + victim_booth_, nullptr,
             all(204, {AdminKey})},
            {"POST", "/api/v1/booths/{id}/enrollment",
             "/api/v1/booths/" + victim_booth_ + "/enrollment", nullptr, all(409, {AdminKey})},
            {"GET", "/api/v1/sites/{id}/slots", s + "/slots?service_id=" + service_ + date, nullptr,
             all(200, {AdminKey, SchedulerKey})},
            {"GET", "/api/v1/sites/{id}/queue", s + "/queue", nullptr,
             all(200, {AdminKey, SupervisorKey, AgentHere})},
            {"POST", "/api/v1/services", "/api/v1/services", json::object(), all(422, {AdminKey})},
            {"GET", "/api/v1/services", "/api/v1/services", nullptr,
             all(200, {AdminKey, SchedulerKey, SupervisorKey, AgentHere, AgentElsewhere,
                       SupervisorElsewhere, Booth, OtherBooth})},
            {"GET", "/api/v1/services/{id}", "/api/v1/services/" + service_, nullptr,
             all(200, {AdminKey, SchedulerKey, SupervisorKey, AgentHere, AgentElsewhere,
                       SupervisorElsewhere, Booth, OtherBooth})},
            {"POST", "/api/v1/agents", "/api/v1/agents", json::object(), all(422, {AdminKey})},
            {"GET", "/api/v1/agents", "/api/v1/agents", nullptr,
             all(200, {AdminKey, SupervisorKey, SupervisorElsewhere})},
            {"GET", "/api/v1/agents/me", "/api/v1/agents/me", nullptr, all(200, agents)},
            {"PUT", "/api/v1/agents/me/presence", "/api/v1/agents/me/presence", json::object(),
             all(422, agents)},
            {"GET", "/api/v1/agents/{id}", "/api/v1/agents/" + agent_, nullptr,
             all(200, {AdminKey, SupervisorKey})},
            {"PUT", "/api/v1/agents/{id}/availability",
             "/api/v1/agents/" + agent_ + "/availability", json::object(), all(422, {AdminKey})},
            {"GET", "/api/v1/agents/{id}/availability",
             "/api/v1/agents/" + agent_ + "/availability", nullptr,
             all(200, {AdminKey, SupervisorKey})},
            {"POST", "/api/v1/appointments", "/api/v1/appointments", json::object(),
             all(422, {AdminKey, SchedulerKey})},
            {"GET", "/api/v1/appointments", "/api/v1/appointments", nullptr,
             all(200, {AdminKey, SchedulerKey, SupervisorKey, AgentHere, AgentElsewhere,
                       SupervisorElsewhere})},
            {"GET", "/api/v1/appointments/{id}", "/api/v1/appointments/" + appointment_, nullptr,
             all(200, {AdminKey, SchedulerKey, SupervisorKey, AgentHere})},
            {"PATCH", "/api/v1/appointments/{id}", "/api/v1/appointments/" + appointment_,
             json::object(), all(422, {AdminKey, SchedulerKey})},
            {"POST", "/api/v1/appointments/{id}/cancel",
             "/api/v1/appointments/" + appointment_ + "/cancel", json::object(),
             all(422, {AdminKey, SchedulerKey})},
            {"GET", "/api/v1/messages", "/api/v1/messages?appointment_id=" + appointment_, nullptr,
             all(200, {AdminKey})},
            {"POST", "/api/v1/booth/check-in", "/api/v1/booth/check-in", json::object(),
             all(422, booths)},
            {"POST", "/api/v1/booth/walk-in", "/api/v1/booth/walk-in", json::object(),
             all(422, booths)},
            {"GET", "/api/v1/booth/state", "/api/v1/booth/state", nullptr, all(200, booths)},
            {"PUT", "/api/v1/sites/{id}/hours", s + "/hours", json::object(), all(422, {AdminKey})},
            {"GET", "/api/v1/sites/{id}/hours", s + "/hours", nullptr,
             all(200, {AdminKey, SchedulerKey, SupervisorKey, AgentHere, Booth})},
            {"GET", "/api/v1/sites/{id}/opening", s + "/opening", nullptr,
             all(200, {AdminKey, SchedulerKey, SupervisorKey, AgentHere, Booth})},
            {"POST", "/api/v1/sites/{id}/closures", s + "/closures", json::object(),
             all(422, {AdminKey})},
            {"GET", "/api/v1/sites/{id}/closures", s + "/closures", nullptr,
             all(200, {AdminKey, SchedulerKey, SupervisorKey, AgentHere})},
            {"DELETE", "/api/v1/closures/{id}", "/api/v1/closures/" + site_, nullptr,
             all(404, {AdminKey})},
            {"POST", "/api/v1/agents/{id}/absences", "/api/v1/agents/" + agent_ + "/absences",
             json::object(), all(422, {AdminKey})},
            {"GET", "/api/v1/sites/{id}/absences", s + "/absences", nullptr,
             all(200, {AdminKey, SchedulerKey, SupervisorKey, AgentHere})},
            {"DELETE", "/api/v1/absences/{id}", "/api/v1/absences/" + site_, nullptr,
             all(404, {AdminKey})},
            {"POST", "/api/v1/queue/claim-next", "/api/v1/queue/claim-next", nullptr,
             all(409, agents)},
            {"POST", "/api/v1/queue/{id}/accept", "/api/v1/queue/" + entry_ + "/accept", nullptr,
             all(409, {AgentHere})},
            {"POST", "/api/v1/queue/{id}/decline", "/api/v1/queue/" + entry_ + "/decline", nullptr,
             all(409, {AgentHere})},
            {"POST", "/api/v1/sessions/{id}/join", "/api/v1/sessions/" + session_ + "/join",
             nullptr, all(200, {AgentHere, Booth})},
            {"POST", "/api/v1/sessions/{id}/end", "/api/v1/sessions/" + session_ + "/end",
             json::object(), all(422, {AgentHere})},
            {"GET", "/api/v1/stats/daily", "/api/v1/stats/daily?site_id=" + site_ + date, nullptr,
             all(200, {AdminKey, SupervisorKey})},
            {"GET", "/api/v1/nodes", "/api/v1/nodes", nullptr, all(200, {AdminKey})},
            {"GET", "/api/v1/citizens/export", "/api/v1/citizens/export?email=a@example.org",
             nullptr, all(200, {AdminKey})},
            {"POST", "/api/v1/citizens/erasure", "/api/v1/citizens/erasure", json::object(),
             all(422, {AdminKey})},
            {"PATCH", "/api/v1/agents/{id}", "/api/v1/agents/" + agent_, json::object(),
             all(428, {AdminKey})},
            {"PUT", "/api/v1/agents/{id}/password", "/api/v1/agents/" + agent_ + "/password",
             json::object(), all(422, {AdminKey})},
            {"PUT", "/api/v1/agents/me/password", "/api/v1/agents/me/password", json::object(),
             all(422, agents)},
            {"POST", "/api/v1/api-keys", "/api/v1/api-keys", json::object(), all(422, {AdminKey})},
            {"GET", "/api/v1/api-keys", "/api/v1/api-keys", nullptr, all(200, {AdminKey})},
            {"DELETE", "/api/v1/api-keys/{id}",
             "/api/v1/api-keys/0f8fad5b-d9cb-469f-a165-70867728950e", nullptr,
             all(404, {AdminKey})},
            // Last: leaving changes the booth's state for the cases above.
            {"POST", "/api/v1/booth/leave", "/api/v1/booth/leave", nullptr, all(204, booths)},
            // And rotating replaces the booth's credential.
            {"POST", "/api/v1/booth/rotate-token", "/api/v1/booth/rotate-token", nullptr,
             all(200, booths)},
        };
    }

    std::string site_, other_site_, service_, booth_token_, victim_booth_, agent_, appointment_,
        entry_, session_;
    std::string keys_[kCallers];
};

TEST_F(Authorization, EveryRouteAnswersEachCallerAsExpected) {
    for (const auto& c : cases()) {
        for (int i = 0; i < kCallers; ++i) {
            auto caller = static_cast<Caller>(i);
            auto r = c.body.is_null() ? call(c.method, c.path, token(caller))
                                      : call(c.method, c.path, token(caller), c.body);
            auto allowed = std::find_if(c.allowed.begin(), c.allowed.end(),
                                        [&](const Allowed& a) { return a.caller == caller; });
            std::string what = c.method + " " + c.path + " by " + kNames[i] + ": " + r.raw;
            if (caller == None) {
                EXPECT_EQ(r.status, 401) << what;
                EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer") << what;
            } else if (allowed != c.allowed.end()) {
                EXPECT_EQ(r.status, allowed->status) << what;
            } else {
                EXPECT_EQ(r.status, 403) << what;
            }
            if (r.status >= 400) {
                EXPECT_EQ(r.content_type, "application/problem+json") << what;
            }
        }
    }
}

TEST_F(Authorization, TheMatrixCoversEveryProtectedRoute) {
    std::set<std::pair<std::string, std::string>> served, tested;
    for (const auto& route : router_.routes()) served.insert(route);
    for (const auto& c : cases()) tested.insert({c.method, c.pattern});
    tested.insert({"POST", "/api/v1/auth/login"});    // public
    tested.insert({"POST", "/api/v1/booth/enroll"});  // public
    // Public: the citizen's personal link is the credential (VisitTest).
    for (const auto& [method, path] : {std::pair{"GET", "/api/v1/visit"},
                                       {"GET", "/api/v1/visit/slots"},
                                       {"PATCH", "/api/v1/visit"},
                                       {"POST", "/api/v1/visit/cancel"}})
        tested.insert({method, path});
    EXPECT_EQ(served, tested);
}

TEST_F(Authorization, BadTokensAre401) {
    for (const std::string& bad :
         {std::string("nope"), std::string(300, 'a'), admin_ + "x", std::string("' OR 1=1 --")}) {
        EXPECT_EQ(call("GET", "/api/v1/sites", bad).status, 401);
    }
    // A revoked key stops at once.
    sql().exec("UPDATE api_keys SET revoked_at = now()");
    EXPECT_EQ(call("GET", "/api/v1/sites", admin_).status, 401);
}

TEST_F(Authorization, ListsShowOnlyTheCallersSites) {
    auto there = login("there@example.org");
    auto sites = call("GET", "/api/v1/sites", there);
    ASSERT_EQ(sites.body["sites"].size(), 1u);
    EXPECT_EQ(sites.body["sites"][0]["id"], other_site_);
    EXPECT_EQ(call("GET", "/api/v1/appointments", there).body["appointments"].size(), 0u);
    EXPECT_EQ(call("GET", "/api/v1/appointments?site_id=" + site_, there).status, 403);
    auto boss = login("boss@example.org");
    for (const auto& a : call("GET", "/api/v1/agents", boss).body["agents"])
        EXPECT_NE(a["email"], "here@example.org");  // covers another site
}

TEST_F(Authorization, ABoothLearnsNothingAboutCitizens) {
    auto state = call("GET", "/api/v1/booth/state", booth_token_);
    ASSERT_EQ(state.status, 200);
    EXPECT_EQ(state.raw.find("Jean"), std::string::npos);
    auto join = call("POST", "/api/v1/sessions/" + session_ + "/join", booth_token_);
    ASSERT_EQ(join.status, 200);
    EXPECT_EQ(join.raw.find("Jean"), std::string::npos);
}

}  // namespace vg::test
