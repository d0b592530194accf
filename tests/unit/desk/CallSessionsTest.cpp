// desk::CallSessions on the real database: who joins a call session, and how the agent ends it.
#include "desk/CallSessions.hpp"
#include "desk/Offers.hpp"
#include "unit/desk/DeskFixture.hpp"

namespace vg::test {

class CallSessionsTest : public DeskTest {
  protected:
    desk::Principal agent() const {
        return {desk::Principal::Kind::Agent, agent_, desk::Role::Agent, {site_}, "s"};
    }
    desk::Principal booth(const std::string& id) const {
        return {desk::Principal::Kind::Booth, id, desk::Role::Booth, {site_}, {}};
    }
    // A walk-in at booth_ whom the agent accepted: the session's id.
    std::string accepted_walk_in() {
        auto entry = walk_in("2026-12-01T13:50:00Z", booth_);
        desk::Offers::claim_next(*db_, kNow, kExpiry, agent(), "192.0.2.1");
        return desk::Offers::accept(*db_, kNow, agent(), "192.0.2.1", entry).session_id;
    }
    // A booked appointment whose citizen is in a call session with the agent: the session's id.
    std::string appointment_in_call(const std::string& code, const std::string& starts_at) {
        auto appointment = value(
            "INSERT INTO appointments (site_id, service_id, booth_id, agent_id, starts_at, "
            "ends_at, citizen_name, citizen_language, check_in_code, created_by) VALUES ('" +
            site_ + "', '" + service_ + "', '" + booth_ + "', '" + agent_ + "', '" + starts_at +
            "', '" + starts_at + "'::timestamptz + interval '20 minutes', 'Camille', 'fr', '" +
            code + "', 'api_key:test') RETURNING id::text");
        auto entry = value(
            "INSERT INTO queue_entries (site_id, booth_id, kind, appointment_id, service_id, "
            "language, state) VALUES ('" +
            site_ + "', '" + booth_ + "', 'appointment', '" + appointment + "', '" + service_ +
            "', 'fr', 'accepted') RETURNING id::text");
        return value(
            "INSERT INTO call_sessions (site_id, booth_id, agent_id, queue_entry_id, "
            "appointment_id, room_id) VALUES ('" +
            site_ + "', '" + booth_ + "', '" + agent_ + "', '" + entry + "', '" + appointment +
            "', 'room-" + code + "') RETURNING id::text");
    }
    std::string appointment_of(const std::string& session) {
        return value(
            "SELECT a.status::text FROM appointments a JOIN call_sessions c "
            "ON c.appointment_id = a.id WHERE c.id = '" +
            session + "'");
    }
    static constexpr const char* kExpiry = "2026-12-01T14:00:20Z";
    static constexpr const char* kLater = "2026-12-01T14:12:00Z";
};

TEST_F(CallSessionsTest, OnlyTheSessionsBoothAndAgentJoinItWhileItRuns) {
    auto session = accepted_walk_in();
    EXPECT_EQ(desk::CallSessions::seat(*db_, session, booth(booth_)).role, "booth");
    EXPECT_EQ(desk::CallSessions::seat(*db_, session, agent()).role, "agent");
    EXPECT_EQ(desk::CallSessions::seat(*db_, session, booth(other_booth_)).refusal,
              desk::SessionRefusal::NotParticipant);
    EXPECT_EQ(desk::CallSessions::seat(*db_, site_, agent()).refusal,
              desk::SessionRefusal::NoSuchSession);

    desk::CallSessions::end(*db_, kLater, agent(), "192.0.2.1", session, "served", std::nullopt);
    auto after = desk::CallSessions::seat(*db_, session, booth(booth_));
    EXPECT_EQ(after.refusal, desk::SessionRefusal::Ended);
    EXPECT_EQ(after.role, "");
}

TEST_F(CallSessionsTest, TheAgentEndsTheCallOnceAndGoesToWrapUp) {
    auto session = accepted_walk_in();
    EXPECT_EQ(desk::CallSessions::may_end(*db_, session, booth(booth_)),
              desk::SessionRefusal::NotParticipant);
    EXPECT_EQ(desk::CallSessions::end(*db_, kLater, booth(booth_), "192.0.2.1", session, "served",
                                      std::nullopt)
                  .refusal,
              desk::SessionRefusal::NotParticipant);
    EXPECT_EQ(value("SELECT count(*) FROM call_sessions WHERE ended_at IS NULL"), "1");
    EXPECT_EQ(desk::CallSessions::may_end(*db_, session, agent()), desk::SessionRefusal::None);

    auto ended = desk::CallSessions::end(*db_, kLater, agent(), "192.0.2.1", session, "served",
                                         std::string("Dossier ouvert."));
    ASSERT_EQ(ended.refusal, desk::SessionRefusal::None);
    EXPECT_NE(ended.json.find("\"outcome\": \"served\""), std::string::npos) << ended.json;
    EXPECT_EQ(value("SELECT notes FROM call_sessions"), "Dossier ouvert.");
    EXPECT_EQ(value("SELECT state::text || ' ' || outcome FROM queue_entries"), "done served");
    EXPECT_EQ(value("SELECT state::text FROM agent_presence"), "wrap_up");
    EXPECT_EQ(value("SELECT count(*) FROM audit_events WHERE action = 'session.end'"), "1");
    EXPECT_EQ(events("session.ended"), 1);

    auto again =
        desk::CallSessions::end(*db_, kLater, agent(), "192.0.2.1", session, "no_show", {});
    EXPECT_EQ(again.refusal, desk::SessionRefusal::Ended);
    EXPECT_EQ(value("SELECT outcome::text FROM call_sessions"), "served");
    EXPECT_EQ(events("session.ended"), 1);
}

TEST_F(CallSessionsTest, TheAppointmentFollowsTheOutcomeAndATechnicalFailureLeavesItOpen) {
    // One citizen at a time at the booth: the second appointment's call follows the first.
    auto failed = appointment_in_call("FAIL1", "2026-12-01T14:00:00Z");
    desk::CallSessions::end(*db_, kLater, agent(), "192.0.2.1", failed, "technical_failure", {});
    auto missed = appointment_in_call("MISS1", "2026-12-01T14:30:00Z");
    desk::CallSessions::end(*db_, kLater, agent(), "192.0.2.1", missed, "no_show", {});
    EXPECT_EQ(appointment_of(failed), "booked");
    EXPECT_EQ(appointment_of(missed), "no_show");
    EXPECT_EQ(value("SELECT count(*) FROM appointment_history WHERE action = 'call_ended' "
                    "AND details->>'outcome' IN ('technical_failure', 'no_show')"),
              "2");
}

}  // namespace vg::test
