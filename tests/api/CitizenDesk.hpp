#pragma once
// The world the privacy tests start from: a site with a service, an enrolled booth, a plain agent
// (marie) available on Tuesday mornings and logged in, and booking as the admin.
#include <string>

#include "api/ApiFixture.hpp"

namespace vg::test {

class CitizenDesk : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        site_ = make_site("NIC")["id"];
        service_ = make_service("EMP", 30)["id"];
        booth_token_ = enroll(site_);
        agent_ = make_agent("marie@example.org", {"agent"}, nlohmann::json::array({site_}),
                            nlohmann::json::array({service_}))["id"];
        set_availability(agent_, {{{"weekday", 2},
                                   {"start", "09:00"},
                                   {"end", "12:00"},
                                   {"site_id", site_}}});
        // Tests move the clock by days: the agent's login must outlive that.
        ctx_->options.agent_session_ttl = std::chrono::hours(72);
        agent_token_ = login("marie@example.org");
    }

    // An appointment at starts_at for this citizen, booked by the admin.
    nlohmann::json book(const std::string& starts_at, const nlohmann::json& citizen) {
        auto r = call("POST", "/api/v1/appointments", admin_,
                      nlohmann::json{{"site_id", site_},
                                     {"service_id", service_},
                                     {"starts_at", starts_at},
                                     {"citizen", citizen}});
        EXPECT_EQ(r.status, 201) << r.raw;
        return r.body;
    }

    // The citizen with this code checks in at the booth and marie, now available, takes the
    // offer: the queue entry's id ("" on a failure, reported).
    std::string check_in_and_offer(const std::string& code) {
        auto checked = call("POST", "/api/v1/booth/check-in", booth_token_,
                            nlohmann::json{{"code", code}});
        EXPECT_EQ(checked.status, 201) << checked.raw;
        auto presence = call("PUT", "/api/v1/agents/me/presence", agent_token_,
                             nlohmann::json{{"state", "available"}});
        EXPECT_EQ(presence.status, 200) << presence.raw;
        auto offer = call("POST", "/api/v1/queue/claim-next", agent_token_);
        EXPECT_EQ(offer.status, 200) << offer.raw;
        return offer.body.value("id", "");
    }

    // marie accepts the entry offered to her: the call session's id.
    std::string accept(const std::string& entry) {
        auto accepted = call("POST", "/api/v1/queue/" + entry + "/accept", agent_token_);
        EXPECT_EQ(accepted.status, 201) << accepted.raw;
        return accepted.body.value("session_id", "");
    }

    std::string site_, service_, booth_token_, agent_, agent_token_;
};

}  // namespace vg::test
