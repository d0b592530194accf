// Least data (issue 14 item 5): a plain agent reads a citizen's contact only while serving that
// citizen, every read of citizen data is audited, and site scope holds for supervisors too.
#include "api/CitizenDesk.hpp"

namespace vg::test {

using nlohmann::json;

class LeastData : public CitizenDesk {
  protected:
    void SetUp() override {
        CitizenDesk::SetUp();
        make_agent("sophie@example.org", {"agent", "supervisor"}, json::array({site_}),
                   json::array({service_}));
        auto booked = book("2026-12-01T14:00:00Z", {{"name", "Jean Tremblay"},
                                                    {"language", "fr"},
                                                    {"phone", "+1 418 555-0199"},
                                                    {"email", "jean@example.org"}});
        appointment_ = booked["id"];
        code_ = booked["check_in_code"];
        supervisor_token_ = login("sophie@example.org");
    }

    // The appointment as the token's holder reads it, through the list and by id (equal).
    json seen_by(const std::string& token) {
        auto list = call("GET", "/api/v1/appointments?site_id=" + site_, token);
        EXPECT_EQ(list.status, 200) << list.raw;
        EXPECT_EQ(list.body["appointments"].size(), 1u) << list.raw;
        auto one = call("GET", "/api/v1/appointments/" + appointment_, token);
        EXPECT_EQ(one.status, 200) << one.raw;
        EXPECT_EQ(list.body["appointments"][0], one.body);
        return one.body;
    }

    static bool has_contact(const json& appointment) {
        return appointment.contains("check_in_code") || appointment["citizen"].contains("phone") ||
               appointment["citizen"].contains("email");
    }

    std::string appointment_, code_, supervisor_token_;
};

TEST_F(LeastData, PlainAgentGetsContactOnlyWhileServingTheCitizen) {
    set_now("2026-12-01T13:45:00Z");
    auto plain = seen_by(agent_token_);
    EXPECT_FALSE(has_contact(plain)) << plain;
    EXPECT_EQ(plain["citizen"], (json{{"name", "Jean Tremblay"}, {"language", "fr"}}));
    EXPECT_EQ(plain["status"], "booked");
    // The roles of the contract keep the whole appointment.
    for (const auto& token : {admin_, new_key("scheduler"), new_key("supervisor"),
                              supervisor_token_}) {
        auto full = seen_by(token);
        EXPECT_EQ(full["check_in_code"], code_);
        EXPECT_EQ(full["citizen"]["phone"], "+1 418 555-0199");
        EXPECT_EQ(full["citizen"]["email"], "jean@example.org");
    }

    // The citizen checks in; an offer is not yet serving them.
    auto entry = check_in_and_offer(code_);
    ASSERT_FALSE(entry.empty());
    EXPECT_FALSE(has_contact(seen_by(agent_token_)));

    // Accepted: the agent serves this citizen and may call or write to them.
    auto session = accept(entry);
    ASSERT_FALSE(session.empty());
    auto serving = seen_by(agent_token_);
    EXPECT_EQ(serving["check_in_code"], code_);
    EXPECT_EQ(serving["citizen"]["phone"], "+1 418 555-0199");
    EXPECT_EQ(serving["citizen"]["email"], "jean@example.org");

    // The call ends: the contact goes with it.
    ASSERT_EQ(call("POST", "/api/v1/sessions/" + session + "/end", agent_token_,
                   json{{"outcome", "served"}})
                  .status,
              200);
    EXPECT_FALSE(has_contact(seen_by(agent_token_)));
}

TEST_F(LeastData, EveryReadOfCitizenDataIsAudited) {
    set_now("2026-12-01T10:00:00Z");
    EXPECT_EQ(count("audit_events WHERE action = 'citizen.read'"), 0);
    seen_by(agent_token_);  // one list and one read by id
    auto rows = sql().exec(
        "SELECT actor_kind, actor_id, object_type, object_id, source_address, vg_time(at), "
        "details->>'route', details->>'contact' FROM audit_events "
        "WHERE action = 'citizen.read' ORDER BY id");
    ASSERT_EQ(rows.rows(), 2);
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(rows.get(i, 0), "agent");                 // who
        EXPECT_EQ(rows.get(i, 1), agent_);
        EXPECT_EQ(rows.get(i, 2), "appointment");           // what
        EXPECT_EQ(rows.get(i, 3), appointment_);
        EXPECT_EQ(rows.get(i, 4), "127.0.0.1");             // from where
        EXPECT_EQ(rows.get(i, 5), "2026-12-01T10:00:00Z");  // when
        EXPECT_EQ(rows.get(i, 7), "false");                 // without the contact
    }
    EXPECT_EQ(rows.get(0, 6), "GET /appointments");
    EXPECT_EQ(rows.get(1, 6), "GET /appointments/{id}");
    // A scheduler's read names the contact it saw; an empty list audits nothing.
    auto scheduler = new_key("scheduler");
    EXPECT_EQ(call("GET", "/api/v1/appointments/" + appointment_, scheduler).status, 200);
    EXPECT_EQ(count("audit_events WHERE action = 'citizen.read' AND actor_kind = 'api_key' "
                    "AND details->>'contact' = 'true'"),
              1);
    EXPECT_EQ(call("GET", "/api/v1/appointments?status=cancelled", scheduler).status, 200);
    EXPECT_EQ(count("audit_events WHERE action = 'citizen.read'"), 3);
}

TEST_F(LeastData, SupervisorReadsAvailabilityOfTheirOwnSitesOnly) {
    auto other_site = make_site("QC")["id"].get<std::string>();
    // One agent works at both sites, one at the other site only.
    auto both = make_agent("luc@example.org", {"agent"}, json::array({site_, other_site}),
                           json::array({service_}))["id"]
                    .get<std::string>();
    auto elsewhere = make_agent("lea@example.org", {"agent"}, json::array({other_site}),
                                json::array({service_}))["id"]
                         .get<std::string>();
    set_availability(both, {{{"weekday", 1}, {"start", "09:00"}, {"end", "12:00"}, {"site_id", site_}},
                            {{"weekday", 2}, {"start", "09:00"}, {"end", "12:00"},
                             {"site_id", other_site}}});
    set_availability(elsewhere, {{{"weekday", 3}, {"start", "09:00"}, {"end", "17:00"},
                                  {"site_id", other_site}}});

    auto own = call("GET", "/api/v1/agents/" + both + "/availability", supervisor_token_);
    ASSERT_EQ(own.status, 200) << own.raw;
    ASSERT_EQ(own.body["rules"].size(), 1u) << own.raw;
    EXPECT_EQ(own.body["rules"][0]["site_id"], site_);
    auto foreign = call("GET", "/api/v1/agents/" + elsewhere + "/availability", supervisor_token_);
    EXPECT_EQ(foreign.status, 403) << foreign.raw;
    EXPECT_EQ(call("GET", "/api/v1/agents/" + elsewhere, supervisor_token_).status, 403);
    auto agents = call("GET", "/api/v1/agents", supervisor_token_);
    ASSERT_EQ(agents.status, 200);
    for (const auto& agent : agents.body["agents"]) EXPECT_NE(agent["id"], elsewhere);
    // An administrator reaches every site.
    EXPECT_EQ(call("GET", "/api/v1/agents/" + both + "/availability", admin_).body["rules"].size(),
              2u);
    // The supervisor's appointment list and daily figures stay on their sites too.
    EXPECT_EQ(call("GET", "/api/v1/appointments?site_id=" + other_site, supervisor_token_).status,
              403);
    EXPECT_EQ(call("GET", "/api/v1/stats/daily?site_id=" + other_site + "&date=2026-12-01",
                   supervisor_token_)
                  .status,
              403);
}

}  // namespace vg::test
