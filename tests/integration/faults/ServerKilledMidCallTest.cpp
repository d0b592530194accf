// The server dies (SIGKILL: no goodbye, no flush) in the middle of a call and is started again on
// the same database. What the product does with the call session of a dead server:
//   - nothing is lost or half-done: the call session stays open, its queue entry accepted, the
//     appointment in_call and the agent in_call, exactly as committed before the death;
//   - the booth and the agent reconnect their live events (their pages retry by themselves); the
//     snapshot tells both that the call goes on, and both join it again through
//     POST /sessions/{id}/join (the client rule of CONTRACT.md for a signaling socket that
//     closes without a bye); the agent ends it as usual and a new call can be made;
//   - an agent whose console does not come back within presence_grace_seconds is lost, as any
//     silent console is: housekeeping ends the call (technical_failure, end reason agent_lost),
//     the citizen goes back to the front of the queue and the appointment to checked_in.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "db/Connection.hpp"
#include "integration/ServerProcess.hpp"
#include "integration/faults/Invariants.hpp"
#include "integration/faults/LiveConsole.hpp"
#include "integration/faults/RestClient.hpp"
#include "support/TestDatabase.hpp"
#include "support/WebSocketClient.hpp"

namespace vg::test::faults {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kAdminKey = "bootstrap-key-for-the-killed-server-0123456789";

long long ms_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// An appointment in the first free slot from now: with 15-minute slots all day it starts
// within 15 minutes, inside the check-in window.
json book_next_slot(const RestClient& rest, const World& world) {
    for (int days : {0, 1}) {
        auto slots =
            rest.expect(200, "GET",
                        "/sites/" + world.site_id + "/slots?service_id=" + world.service_id +
                            "&date=" + utc_date(days),
                        world.admin_key);
        for (const auto& slot : slots.value("slots", json::array())) {
            if (slot.value("available", 0) < 1) continue;
            return rest.expect(201, "POST", "/appointments", world.admin_key,
                               {{"site_id", world.site_id},
                                {"service_id", world.service_id},
                                {"starts_at", slot["starts_at"]},
                                {"citizen", {{"name", "Camille Gagnon"}, {"language", "fr"}}}});
        }
    }
    ADD_FAILURE() << "no free slot today or tomorrow";
    return nullptr;
}

// One side of the call on /rtc/v1 after its join was accepted.
struct Participant {
    std::unique_ptr<WebSocketClient> ws;
    json joined;
};

Participant join_call(const RestClient& rest, const std::string& session_id,
                      const std::string& token) {
    auto join = rest.expect(200, "POST", "/sessions/" + session_id + "/join", token);
    Participant participant;
    // signaling_url names public_url, which this test leaves at its default: the same server.
    EXPECT_NE(join.value("signaling_url", "").find("/rtc/v1"), std::string::npos) << join.dump();
    participant.ws = std::make_unique<WebSocketClient>("127.0.0.1", rest.port(), "/rtc/v1");
    participant.ws->send_text(json{{"type", "join"}, {"join_token", join["join_token"]}}.dump());
    participant.joined = json::parse(participant.ws->receive_text(), nullptr, false);
    EXPECT_EQ(participant.joined.value("type", ""), "joined") << participant.joined.dump();
    return participant;
}

// Whether the server closed this connection (it died): a read answers nothing more.
bool connection_dropped(WebSocketClient& ws) {
    try {
        for (int i = 0; i < 20; ++i) ws.receive();  // messages already on the way, then EOF
    } catch (const std::exception&) {
        return true;
    }
    return false;
}

std::string one(const std::string& url, const std::string& sql, const std::string& id) {
    db::Connection db(url);
    auto rows = db.exec(sql, {id});
    return rows.rows() == 1 ? std::string(rows.get(0, 0)) : "<no row>";
}

std::function<bool(const json&)> about(const std::string& session_id) {
    return [session_id](const json& m) { return m.value("session_id", "") == session_id; };
}

// A booth checked in with an appointment, an agent who accepted it, both joined to the call
// on the first server; then the first server is killed.
struct KilledCall {
    World world;
    json appointment;
    std::string session_id;
    std::string entry_id;
};

KilledCall call_then_kill(const TestDatabase& database, ServerProcess& first) {
    RestClient rest(first.http_port());
    KilledCall call;
    call.world = make_world(rest, kAdminKey, "K");
    const auto& world = call.world;
    call.appointment = book_next_slot(rest, world);
    rest.expect(200, "PUT", "/agents/me/presence", world.agent_token, {{"state", "available"}});
    LiveConsole booth_console(first.http_port(), world.booth_token);
    LiveConsole agent_console(first.http_port(), world.agent_token);
    call.entry_id = rest.expect(201, "POST", "/booth/check-in", world.booth_token,
                                {{"code", call.appointment.value("check_in_code", "")}})
                        .value("queue_entry_id", "");
    auto offered = rest.expect(200, "POST", "/queue/claim-next", world.agent_token);
    EXPECT_EQ(offered.value("id", ""), call.entry_id);
    call.session_id =
        rest.expect(201, "POST", "/queue/" + call.entry_id + "/accept", world.agent_token)
            .value("session_id", "");
    EXPECT_FALSE(booth_console.next("session.ready", about(call.session_id)).is_null());
    auto booth = join_call(rest, call.session_id, world.booth_token);
    auto agent = join_call(rest, call.session_id, world.agent_token);

    first.signal(SIGKILL);
    EXPECT_EQ(first.wait_exit(5s), 128 + SIGKILL);
    // Every client of the dead server sees its connection drop.
    EXPECT_TRUE(connection_dropped(*booth.ws));
    EXPECT_TRUE(connection_dropped(*agent.ws));

    // As committed before the death: the call goes on as far as the database knows.
    const auto& url = database.url();
    EXPECT_EQ(one(url, "SELECT (ended_at IS NULL)::text FROM call_sessions WHERE id = $1",
                  call.session_id),
              "true");
    EXPECT_EQ(one(url, "SELECT state::text FROM queue_entries WHERE id = $1", call.entry_id),
              "accepted");
    EXPECT_EQ(one(url, "SELECT status::text FROM appointments WHERE id = $1",
                  call.appointment.value("id", "")),
              "in_call");
    EXPECT_EQ(
        one(url, "SELECT state::text FROM agent_presence WHERE agent_id = $1", world.agent_id),
        "in_call");
    EXPECT_EQ(inconsistencies(url), std::vector<std::string>{});
    return call;
}

TEST(ServerKilledMidCall, BothSidesComeBackToTheCallAndANewCallCanBeMade) {
    auto started = Clock::now();
    TestDatabase database(TestDatabase::Schema::Empty);
    const std::map<std::string, std::string> env = {{"VISIOGUICHET_BOOTSTRAP_ADMIN_KEY", kAdminKey},
                                                    {"VISIOGUICHET_WRAP_UP_SECONDS", "0"}};
    auto first = std::make_unique<ServerProcess>(database.url(), env);
    auto call = call_then_kill(database, *first);
    first.reset();
    const auto& world = call.world;

    auto restart = Clock::now();
    ServerProcess second(database.url(), env);
    RestClient rest(second.http_port());
    std::cout << "the server listened again " << ms_since(restart) << " ms after its restart\n";

    // The booth's and the agent's live events come back; their snapshots say the call goes on.
    LiveConsole booth_console(second.http_port(), world.booth_token);
    LiveConsole agent_console(second.http_port(), world.agent_token);
    const auto& booth_state = booth_console.snapshot()["booth"];
    EXPECT_EQ(booth_state.value("state", ""), "in_call") << booth_state.dump();
    EXPECT_EQ(booth_state.value("session_id", ""), call.session_id) << booth_state.dump();
    const auto& sessions = agent_console.snapshot()["sessions"];
    ASSERT_EQ(sessions.size(), 1u) << sessions.dump();
    EXPECT_EQ(sessions[0].value("session_id", ""), call.session_id);
    auto state = rest.expect(200, "GET", "/booth/state", world.booth_token);
    EXPECT_EQ(state.value("session_id", ""), call.session_id) << state.dump();

    // Both join the same call session again, each told of the other.
    auto booth = join_call(rest, call.session_id, world.booth_token);
    auto agent = join_call(rest, call.session_id, world.agent_token);
    EXPECT_EQ(booth.joined.value("role", ""), "booth");
    EXPECT_EQ(agent.joined.value("role", ""), "agent");
    auto told = json::parse(booth.ws->receive_text(), nullptr, false);
    EXPECT_EQ(told, (json{{"type", "participant"}, {"event", "joined"}, {"role", "agent"}}));
    std::cout << "both sides joined the call again " << ms_since(restart)
              << " ms after the restart\n";

    // The agent ends it as usual: the appointment is completed, the booth is told.
    rest.expect(200, "POST", "/sessions/" + call.session_id + "/end", world.agent_token,
                {{"outcome", "served"}});
    EXPECT_FALSE(booth_console.next("session.ended", about(call.session_id)).is_null());
    EXPECT_EQ(
        rest.expect(200, "GET", "/appointments/" + call.appointment.value("id", ""), kAdminKey)
            .value("status", ""),
        "completed");
    EXPECT_EQ(rest.expect(200, "GET", "/booth/state", world.booth_token).value("state", ""),
              "idle");

    // A new call: a walk-in, offered to the agent once out of wrap-up, accepted, joined.
    auto entry = rest.expect(201, "POST", "/booth/walk-in", world.booth_token,
                             {{"service_id", world.service_id}, {"language", "fr"}})
                     .value("queue_entry_id", "");
    RestAnswer claimed;
    for (int i = 0; i < 50; ++i) {  // wrap-up of 0 s ends on the next housekeeping tick
        claimed = rest.call("POST", "/queue/claim-next", world.agent_token);
        if (claimed.status == 200) break;
        std::this_thread::sleep_for(100ms);
    }
    ASSERT_EQ(claimed.status, 200) << claimed.raw;
    EXPECT_EQ(claimed.body.value("id", ""), entry);
    auto next_session = rest.expect(201, "POST", "/queue/" + entry + "/accept", world.agent_token)
                            .value("session_id", "");
    EXPECT_NE(next_session, call.session_id);
    EXPECT_FALSE(booth_console.next("session.ready", about(next_session)).is_null());
    join_call(rest, next_session, world.booth_token);
    join_call(rest, next_session, world.agent_token);
    EXPECT_EQ(inconsistencies(database.url()), std::vector<std::string>{});
    std::cout << "test took " << ms_since(started) << " ms\n";
}

TEST(ServerKilledMidCall, AnAgentWhoDoesNotComeBackIsLostAndTheCitizenIsFirstAgain) {
    auto started = Clock::now();
    TestDatabase database(TestDatabase::Schema::Empty);
    const std::map<std::string, std::string> env = {{"VISIOGUICHET_BOOTSTRAP_ADMIN_KEY", kAdminKey},
                                                    {"VISIOGUICHET_PRESENCE_GRACE_SECONDS", "3"}};
    auto first = std::make_unique<ServerProcess>(database.url(), env);
    auto call = call_then_kill(database, *first);
    first.reset();
    const auto& world = call.world;

    ServerProcess second(database.url(), env);
    RestClient rest(second.http_port());
    auto restart = Clock::now();
    // Only the booth comes back.
    LiveConsole booth_console(second.http_port(), world.booth_token);
    EXPECT_EQ(booth_console.snapshot()["booth"].value("session_id", ""), call.session_id);
    auto ended = booth_console.next("session.ended", about(call.session_id));
    ASSERT_FALSE(ended.is_null());
    auto took = ms_since(restart);
    std::cout << "the call of the agent who did not come back ended " << took
              << " ms after the restart\n";
    EXPECT_LT(took, 10000);

    const auto& url = database.url();
    EXPECT_EQ(one(url, "SELECT outcome::text || ' ' || end_reason FROM call_sessions WHERE id = $1",
                  call.session_id),
              "technical_failure agent_lost");
    EXPECT_EQ(
        one(url, "SELECT state::text FROM agent_presence WHERE agent_id = $1", world.agent_id),
        "offline");
    auto state = rest.expect(200, "GET", "/booth/state", world.booth_token);
    EXPECT_EQ(state.value("state", ""), "waiting") << state.dump();
    EXPECT_EQ(state.value("queue_entry_id", ""), call.entry_id);
    EXPECT_EQ(state.value("position", 0), 1);
    EXPECT_EQ(
        rest.expect(200, "GET", "/appointments/" + call.appointment.value("id", ""), kAdminKey)
            .value("status", ""),
        "checked_in");
    EXPECT_EQ(inconsistencies(url), std::vector<std::string>{});
    std::cout << "test took " << ms_since(started) << " ms\n";
}

}  // namespace
}  // namespace vg::test::faults
