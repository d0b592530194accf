// The journey of PRODUCT.md through the API: check in at the booth, queue, offer, call, outcome,
// statistics; and the ways it goes wrong (wrong codes, expired offers, leaving, lost agents).
#include <thread>

#include "api/ApiFixture.hpp"
#include "app/CallQuality.hpp"
#include "common/Secret.hpp"
#include "desk/ApiKeys.hpp"
#include "domain/JoinToken.hpp"
#include "domain/TurnCredentials.hpp"

namespace vg::test {

using nlohmann::json;

class Journey : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        site_ = make_site("NIC")["id"];
        service_ = make_service("EMP", 30)["id"];
        booth_token_ = enroll(site_);
        booth_id_ = sql().exec("SELECT id::text FROM booths").get(0, 0);
        agent_ = make_agent("marie@example.org", {"agent"}, json::array({site_}),
                            json::array({service_}))["id"];
        set_availability(
            agent_, {{{"weekday", 2}, {"start", "09:00"}, {"end", "12:00"}, {"site_id", site_}}});
        auto booked = call("POST", "/api/v1/appointments", admin_,
                           json{{"site_id", site_},
                                {"service_id", service_},
                                {"starts_at", "2026-12-01T14:00:00Z"},
                                {"citizen", {{"name", "Jean Tremblay"}, {"language", "fr"}}}});
        EXPECT_EQ(booked.status, 201) << booked.raw;
        appointment_ = booked.body["id"];
        code_ = booked.body["check_in_code"];
        // The tests move the clock a day ahead: the agent's login must outlive that.
        ctx_->options.agent_session_ttl = std::chrono::hours(72);
        ctx_->options.agent_session_idle = std::chrono::hours(72);
        agent_token_ = login("marie@example.org");
    }

    Reply booth(const std::string& method, const std::string& path, const json& body = nullptr) {
        return body.is_null() ? call(method, "/api/v1" + path, booth_token_)
                              : call(method, "/api/v1" + path, booth_token_, body);
    }
    Reply agent(const std::string& method, const std::string& path, const json& body = nullptr) {
        return body.is_null() ? call(method, "/api/v1" + path, agent_token_)
                              : call(method, "/api/v1" + path, agent_token_, body);
    }
    Reply available() { return agent("PUT", "/agents/me/presence", json{{"state", "available"}}); }

    std::string site_, service_, booth_token_, booth_id_, agent_, appointment_, code_, agent_token_;
};

TEST_F(Journey, FromCheckInToCompletedAppointment) {
    set_now("2026-12-01T13:45:00Z");
    EXPECT_EQ(booth("GET", "/booth/state").body, (json{{"state", "idle"}}));
    // Lower case and a space: people type codes like that.
    std::string typed = code_.substr(0, 3) + " " + code_.substr(3);
    for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto checked = booth("POST", "/booth/check-in", json{{"code", typed}});
    ASSERT_EQ(checked.status, 201) << checked.raw;
    EXPECT_EQ(checked.body["position"], 1);
    EXPECT_EQ(checked.body["estimated_wait_seconds"], 1800);  // nobody available yet
    auto entry = checked.body["queue_entry_id"].get<std::string>();
    // The booth learns nothing about the citizen.
    EXPECT_EQ(checked.raw.find("Jean"), std::string::npos);
    auto state = booth("GET", "/booth/state");
    EXPECT_EQ(state.body["state"], "waiting");
    EXPECT_EQ(state.body["position"], 1);
    EXPECT_EQ(booth("POST", "/booth/check-in", json{{"code", code_}}).status, 409);

    auto queue = agent("GET", "/sites/" + site_ + "/queue");
    ASSERT_EQ(queue.status, 200) << queue.raw;
    ASSERT_EQ(queue.body["entries"].size(), 1u);
    EXPECT_EQ(queue.body["entries"][0]["kind"], "appointment");
    EXPECT_EQ(queue.body["entries"][0]["position"], 1);

    EXPECT_EQ(agent("POST", "/queue/claim-next").status, 409);  // offline
    auto presence = available();
    ASSERT_EQ(presence.status, 200) << presence.raw;
    EXPECT_EQ(presence.body["state"], "available");
    EXPECT_EQ(presence.body["since"], "2026-12-01T13:45:00Z");
    EXPECT_EQ(booth("GET", "/booth/state").body["estimated_wait_seconds"], 0);

    auto offer = agent("POST", "/queue/claim-next");
    ASSERT_EQ(offer.status, 200) << offer.raw;
    EXPECT_EQ(offer.body["id"], entry);
    EXPECT_EQ(offer.body["state"], "offered");
    EXPECT_EQ(offer.body["citizen"]["name"], "Jean Tremblay");
    EXPECT_EQ(offer.body["offer_expires_at"], "2026-12-01T13:45:20Z");
    EXPECT_EQ(agent("GET", "/agents/me").body["presence"]["state"], "offered");

    auto accepted = agent("POST", "/queue/" + entry + "/accept");
    ASSERT_EQ(accepted.status, 201) << accepted.raw;
    auto session = accepted.body["session_id"].get<std::string>();
    auto in_call = booth("GET", "/booth/state");
    EXPECT_EQ(in_call.body["state"], "in_call");
    EXPECT_EQ(in_call.body["session_id"], session);

    // Both sides get a join token that signaling can verify, and TURN credentials that coturn
    // (use-auth-secret with the same secret) accepts for an hour.
    ctx_->options.turn_uris = {"turn:turn.example.org:3478?transport=udp"};
    ctx_->options.turn_secret = "north-shore-turn-secret";
    auto key = desk::load_join_token_key(sql());
    for (auto* side : {&booth_token_, &agent_token_}) {
        auto joined = call("POST", "/api/v1/sessions/" + session + "/join", *side);
        ASSERT_EQ(joined.status, 200) << joined.raw;
        EXPECT_EQ(joined.body["signaling_url"], "ws://127.0.0.1:8080/rtc/v1");
        std::string role = side == &booth_token_ ? "booth" : "agent";
        auto turn = domain::TurnCredentials::issue("north-shore-turn-secret", session + ":" + role,
                                                   1796136300);  // 2026-12-01T14:45:00Z
        EXPECT_EQ(
            joined.body["ice_servers"],
            json::array({json{{"urls", json::array({"turn:turn.example.org:3478?transport=udp"})},
                              {"username", turn.username},
                              {"credential", turn.credential}}}));
        auto claims = domain::JoinToken::verify(key, joined.body["join_token"].get<std::string>(),
                                                1796132700);  // 2026-12-01T13:45:00Z
        ASSERT_TRUE(claims);
        EXPECT_EQ(claims->session_id, session);
        EXPECT_EQ(claims->role, role);
    }

    set_now("2026-12-01T14:05:00Z");
    auto ended = agent("POST", "/sessions/" + session + "/end",
                       json{{"outcome", "served"}, {"notes", "Aidé pour le formulaire.\nSuivi."}});
    ASSERT_EQ(ended.status, 200) << ended.raw;
    EXPECT_EQ(ended.body["outcome"], "served");
    EXPECT_EQ(agent("POST", "/sessions/" + session + "/end", json{{"outcome", "served"}}).status,
              409);
    EXPECT_EQ(booth("GET", "/booth/state").body["state"], "idle");
    EXPECT_EQ(agent("GET", "/agents/me").body["presence"]["state"], "wrap_up");
    auto appointment = call("GET", "/api/v1/appointments/" + appointment_, admin_);
    EXPECT_EQ(appointment.body["status"], "completed");
    set_now("2026-12-01T14:05:31Z");
    desk::Housekeeping::touch_agent(sql(), agent_, "2026-12-01T14:05:30Z");  // console alive
    EXPECT_EQ(run_housekeeping().wrap_ups_ended, 1);
    EXPECT_EQ(agent("GET", "/agents/me").body["presence"]["state"], "available");

    auto stats = call("GET", "/api/v1/stats/daily?site_id=" + site_ + "&date=2026-12-01", admin_);
    ASSERT_EQ(stats.status, 200) << stats.raw;
    EXPECT_EQ(stats.body["appointments"], 1);
    EXPECT_EQ(stats.body["served"], 1);
    EXPECT_EQ(stats.body["walk_ins"], 0);
    EXPECT_EQ(stats.body["no_shows"], 0);
    EXPECT_EQ(stats.body["avg_wait_seconds"], 0);
    EXPECT_EQ(stats.body["avg_service_seconds"], 1200);
    EXPECT_GE(count("domain_events WHERE type = 'session.ready'"), 1);
    EXPECT_GE(count("domain_events WHERE type = 'session.ended'"), 1);
}

TEST_F(Journey, CheckInOnlyWithinItsWindow) {
    set_now("2026-12-01T13:29:59Z");
    EXPECT_EQ(booth("POST", "/booth/check-in", json{{"code", code_}}).status, 409);
    set_now("2026-12-01T14:15:01Z");
    EXPECT_EQ(booth("POST", "/booth/check-in", json{{"code", code_}}).status, 409);
    set_now("2026-12-01T14:15:00Z");
    EXPECT_EQ(booth("POST", "/booth/check-in", json{{"code", code_}}).status, 201);
}

TEST_F(Journey, WrongCodesAreRateLimitedPerBooth) {
    set_now("2026-12-01T13:45:00Z");
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(booth("POST", "/booth/check-in", json{{"code", "ZZZZZZ"}}).status, 404);
    auto limited = booth("POST", "/booth/check-in", json{{"code", code_}});
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.header("Retry-After"), "601");
    EXPECT_EQ(limited.content_type, "application/problem+json");
    // Another booth is not limited.
    auto other = enroll(site_);
    EXPECT_EQ(call("POST", "/api/v1/booth/check-in", other, json{{"code", "ZZZZZZ"}}).status, 404);
    set_now("2026-12-01T13:55:01Z");
    EXPECT_EQ(booth("POST", "/booth/check-in", json{{"code", code_}}).status, 201);
}

TEST_F(Journey, WalkInsQueueBehindAppointmentsThatAreDue) {
    set_now("2026-12-01T14:00:00Z");
    auto second_booth = enroll(site_);
    auto walk_in = call("POST", "/api/v1/booth/walk-in", second_booth,
                        json{{"service_id", service_}, {"language", "fr"}});
    ASSERT_EQ(walk_in.status, 201) << walk_in.raw;
    EXPECT_EQ(walk_in.body["position"], 1);
    set_now("2026-12-01T14:01:00Z");
    auto checked = booth("POST", "/booth/check-in", json{{"code", code_}});
    ASSERT_EQ(checked.status, 201) << checked.raw;
    EXPECT_EQ(checked.body["position"], 1);  // due now: ahead of the earlier walk-in
    EXPECT_EQ(call("GET", "/api/v1/booth/state", second_booth).body["position"], 2);
    // A booth with someone waiting takes nobody else.
    EXPECT_EQ(call("POST", "/api/v1/booth/walk-in", second_booth,
                   json{{"service_id", service_}, {"language", "fr"}})
                  .status,
              409);
    ASSERT_EQ(available().status, 200);
    EXPECT_EQ(agent("POST", "/queue/claim-next").body["kind"], "appointment");
}

TEST_F(Journey, WalkInsOnlyForServicesThatAllowThem) {
    auto booked_only = make_service("RDV", 30, false)["id"];
    EXPECT_EQ(booth("POST", "/booth/walk-in", json{{"service_id", booked_only}, {"language", "fr"}})
                  .status,
              409);
    EXPECT_EQ(
        booth("POST", "/booth/walk-in",
              json{{"service_id", "0f8fad5b-d9cb-469f-a165-70867728950e"}, {"language", "fr"}})
            .status,
        422);
}

TEST_F(Journey, AnOfferExpiresAndGoesBackToTheQueue) {
    set_now("2026-12-01T13:50:00Z");
    auto entry = booth("POST", "/booth/check-in", json{{"code", code_}}).body["queue_entry_id"];
    available();
    ASSERT_EQ(agent("POST", "/queue/claim-next").status, 200);
    set_now("2026-12-01T13:50:21Z");
    EXPECT_EQ(agent("POST", "/queue/" + entry.get<std::string>() + "/accept").status, 409);
    EXPECT_EQ(run_housekeeping().offers_expired, 1);
    EXPECT_EQ(agent("GET", "/agents/me").body["presence"]["state"], "available");
    auto queue = agent("GET", "/sites/" + site_ + "/queue").body["entries"];
    EXPECT_EQ(queue[0]["state"], "waiting");
    // Claimed again, and accepted in time.
    ASSERT_EQ(agent("POST", "/queue/claim-next").status, 200);
    EXPECT_EQ(agent("POST", "/queue/" + entry.get<std::string>() + "/accept").status, 201);
}

TEST_F(Journey, DeclineReturnsTheEntryAndOnlyTheOfferedAgentMayAnswer) {
    set_now("2026-12-01T13:50:00Z");
    auto entry = booth("POST", "/booth/check-in", json{{"code", code_}})
                     .body["queue_entry_id"]
                     .get<std::string>();
    auto other =
        make_agent("luc@example.org", {"agent"}, json::array({site_}), json::array({service_}));
    auto other_token = login("luc@example.org");
    available();
    ASSERT_EQ(agent("POST", "/queue/claim-next").status, 200);
    EXPECT_EQ(call("POST", "/api/v1/queue/" + entry + "/accept", other_token).status, 403);
    EXPECT_EQ(call("POST", "/api/v1/queue/" + entry + "/decline", other_token).status, 403);
    EXPECT_EQ(agent("POST", "/queue/" + entry + "/decline").status, 204);
    EXPECT_EQ(agent("POST", "/queue/" + entry + "/accept").status, 409);
    EXPECT_EQ(agent("GET", "/agents/me").body["presence"]["state"], "available");
    ASSERT_EQ(
        call("PUT", "/api/v1/agents/me/presence", other_token, json{{"state", "available"}}).status,
        200);
    auto offer = call("POST", "/api/v1/queue/claim-next", other_token);
    ASSERT_EQ(offer.status, 200);
    EXPECT_EQ(offer.body["id"], entry);
    // Nothing left for the first agent.
    EXPECT_EQ(agent("POST", "/queue/claim-next").status, 204);
}

TEST_F(Journey, ConcurrentClaimsNeverShareAnEntry) {
    set_now("2026-12-01T13:50:00Z");
    ASSERT_EQ(booth("POST", "/booth/check-in", json{{"code", code_}}).status, 201);
    std::vector<std::string> tokens;
    for (int i = 0; i < 6; ++i) {
        auto email = "a" + std::to_string(i) + "@example.org";
        make_agent(email, {"agent"}, json::array({site_}), json::array({service_}));
        tokens.push_back(login(email));
        EXPECT_EQ(
            call("PUT", "/api/v1/agents/me/presence", tokens.back(), json{{"state", "available"}})
                .status,
            200);
    }
    std::vector<std::thread> threads;
    std::vector<int> statuses(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i)
        threads.emplace_back(
            [&, i] { statuses[i] = call("POST", "/api/v1/queue/claim-next", tokens[i]).status; });
    for (auto& t : threads) t.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 1);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 204), 5);
}

TEST_F(Journey, LeavingTheBoothAbandonsTheEntryAndFreesTheAgent) {
    set_now("2026-12-01T13:50:00Z");
    ASSERT_EQ(booth("POST", "/booth/check-in", json{{"code", code_}}).status, 201);
    available();
    ASSERT_EQ(agent("POST", "/queue/claim-next").status, 200);
    EXPECT_EQ(booth("POST", "/booth/leave").status, 204);
    EXPECT_EQ(booth("GET", "/booth/state").body["state"], "idle");
    EXPECT_EQ(agent("GET", "/agents/me").body["presence"]["state"], "available");
    EXPECT_EQ(call("GET", "/api/v1/appointments/" + appointment_, admin_).body["status"],
              "no_show");
    auto stats = call("GET", "/api/v1/stats/daily?site_id=" + site_ + "&date=2026-12-01", admin_);
    EXPECT_EQ(stats.body["abandoned"], 1);
    EXPECT_EQ(stats.body["no_shows"], 1);
}

TEST_F(Journey, AnAgentLostInACallSendsTheCitizenBackToTheFront) {
    set_now("2026-12-01T13:50:00Z");
    auto second_booth = enroll(site_);
    ASSERT_EQ(call("POST", "/api/v1/booth/walk-in", second_booth,
                   json{{"service_id", service_}, {"language", "fr"}})
                  .status,
              201);
    set_now("2026-12-01T13:55:00Z");
    ASSERT_EQ(booth("POST", "/booth/check-in", json{{"code", code_}}).status, 201);
    available();
    auto offer = agent("POST", "/queue/claim-next");  // the walk-in: the appointment is not due
    ASSERT_EQ(offer.body["kind"], "walk_in");
    ASSERT_EQ(agent("POST", "/queue/" + offer.body["id"].get<std::string>() + "/accept").status,
              201);
    set_now("2026-12-01T13:55:31Z");  // the console fell silent 31 s ago
    EXPECT_EQ(run_housekeeping().agents_lost, 1);
    EXPECT_EQ(agent("GET", "/agents/me").body["presence"]["state"], "offline");
    auto state = call("GET", "/api/v1/booth/state", second_booth);
    EXPECT_EQ(state.body["state"], "waiting");
    EXPECT_EQ(state.body["position"], 1);  // ahead of the appointment that is due
    EXPECT_EQ(count("call_sessions WHERE outcome = 'technical_failure'"), 1);
}

TEST_F(Journey, PresenceRules) {
    EXPECT_EQ(agent("PUT", "/agents/me/presence", json{{"state", "in_call"}}).status, 422);
    EXPECT_EQ(agent("PUT", "/agents/me/presence", json{{"state", "away"}}).body["state"], "away");
    set_now("2026-12-01T13:50:00Z");
    ASSERT_EQ(booth("POST", "/booth/check-in", json{{"code", code_}}).status, 201);
    available();
    auto offer = agent("POST", "/queue/claim-next");
    ASSERT_EQ(offer.status, 200);
    // Claiming again returns the pending offer rather than a second one.
    EXPECT_EQ(agent("POST", "/queue/claim-next").body["id"], offer.body["id"]);
    EXPECT_EQ(available().status, 409);
    // Stepping away hands the offer back.
    EXPECT_EQ(agent("PUT", "/agents/me/presence", json{{"state", "away"}}).status, 200);
    EXPECT_EQ(agent("GET", "/sites/" + site_ + "/queue").body["entries"][0]["state"], "waiting");
    available();
    auto again = agent("POST", "/queue/claim-next");
    ASSERT_EQ(agent("POST", "/queue/" + again.body["id"].get<std::string>() + "/accept").status,
              201);
    EXPECT_EQ(agent("PUT", "/agents/me/presence", json{{"state", "offline"}}).status, 409);
    // API keys have no presence.
    EXPECT_EQ(call("PUT", "/api/v1/agents/me/presence", admin_, json{{"state", "away"}}).status,
              403);
}

TEST_F(Journey, ATechnicalFailureLetsTheCitizenCheckInAgain) {
    set_now("2026-12-01T13:50:00Z");
    auto entry = booth("POST", "/booth/check-in", json{{"code", code_}}).body["queue_entry_id"];
    available();
    agent("POST", "/queue/claim-next");
    auto session =
        agent("POST", "/queue/" + entry.get<std::string>() + "/accept").body["session_id"];
    ASSERT_EQ(agent("POST", "/sessions/" + session.get<std::string>() + "/end",
                    json{{"outcome", "technical_failure"}})
                  .status,
              200);
    EXPECT_EQ(call("POST", "/api/v1/sessions/" + session.get<std::string>() + "/join", booth_token_)
                  .status,
              409);
    EXPECT_EQ(booth("POST", "/booth/check-in", json{{"code", code_}}).status, 201);
}

}  // namespace vg::test

namespace vg::test {

using nlohmann::json;

TEST_F(Journey, HousekeepingOffersWaitingEntriesWhenAutoOfferIsOn) {
    set_now("2026-12-01T13:50:00Z");
    auto entry = booth("POST", "/booth/check-in", json{{"code", code_}}).body["queue_entry_id"];
    available();
    EXPECT_EQ(run_housekeeping().offers_made, 0);  // off by default
    ctx_->options.auto_offer = true;
    desk::Housekeeping::touch_agent(sql(), agent_, "2026-12-01T13:50:00Z");
    EXPECT_EQ(run_housekeeping().offers_made, 1);
    EXPECT_EQ(run_housekeeping().offers_made, 0);  // one entry, one offer
    EXPECT_EQ(agent("GET", "/agents/me").body["presence"]["state"], "offered");
    auto offer = agent("POST", "/queue/claim-next");  // answers the pending offer
    EXPECT_EQ(offer.body["id"], entry);
    EXPECT_EQ(offer.body["offer_expires_at"], "2026-12-01T13:50:20Z");
    EXPECT_EQ(count("domain_events WHERE type = 'offer'"), 1);
    EXPECT_EQ(agent("POST", "/queue/" + entry.get<std::string>() + "/accept").status, 201);
}

}  // namespace vg::test

namespace vg::test {
namespace {

// The media engine's final statistics of a participant, stored with its call session.
TEST_F(Journey, EachParticipantsMediaQualityIsStoredWithTheCallSession) {
    set_now("2026-12-01T13:50:00Z");
    auto entry = booth("POST", "/booth/check-in", json{{"code", code_}}).body["queue_entry_id"];
    available();
    agent("POST", "/queue/claim-next");
    const std::string session =
        agent("POST", "/queue/" + entry.get<std::string>() + "/accept").body["session_id"];

    rtc::QualitySummary booth_media;
    booth_media.room_id = session;
    booth_media.role = "booth";
    booth_media.seconds = 61.5;
    booth_media.packets_received = 3000;
    booth_media.packets_lost = 12;
    booth_media.packets_recovered = 140;
    booth_media.nacks_received = 90;
    booth_media.retransmissions_sent = 85;
    booth_media.jitter_ms = 2.5;
    booth_media.rtt_ms = 41;
    desk::CallQualityRecorder::record(*pool_, app::call_quality(booth_media),
                                      booth_media.participant_id);
    rtc::QualitySummary agent_media = booth_media;
    agent_media.role = "agent";
    agent_media.rtt_ms = 0;  // never measured
    desk::CallQualityRecorder::record(*pool_, app::call_quality(agent_media),
                                      agent_media.participant_id);
    rtc::QualitySummary not_a_session = booth_media;
    not_a_session.room_id = "bench-room";
    desk::CallQualityRecorder::record(*pool_, app::call_quality(not_a_session),
                                      not_a_session.participant_id);

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (count("call_session_quality") < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto rows = sql().exec(
        "SELECT role, media_seconds, packets_received, packets_lost, packets_recovered, "
        "nacks_received, retransmissions_sent, jitter_ms, rtt_ms FROM call_session_quality "
        "WHERE call_session_id = $1 ORDER BY role",
        {session});
    ASSERT_EQ(rows.rows(), 2);
    EXPECT_EQ(rows.get(0, 0), "agent");
    EXPECT_TRUE(rows.is_null(0, 8));
    EXPECT_EQ(rows.get(1, 0), "booth");
    EXPECT_EQ(rows.get(1, 1), "61.5");
    EXPECT_EQ(rows.get(1, 2), "3000");
    EXPECT_EQ(rows.get(1, 3), "12");
    EXPECT_EQ(rows.get(1, 4), "140");
    EXPECT_EQ(rows.get(1, 5), "90");
    EXPECT_EQ(rows.get(1, 6), "85");
    EXPECT_EQ(rows.get(1, 7), "2.5");
    EXPECT_EQ(rows.get(1, 8), "41");
    EXPECT_EQ(count("call_session_quality"), 2);  // the bench room matched no call session
}

}  // namespace
}  // namespace vg::test
