// Law 25 (issue 14 item 6): retention by a daily purge that keeps the figures, a citizen's export
// and erasure for the privacy officer, an audit log the application cannot rewrite.
#include "api/CitizenDesk.hpp"
#include "db/Error.hpp"
#include "desk/RetentionPurge.hpp"

namespace vg::test {

using nlohmann::json;

class PrivacyLaw : public CitizenDesk {
  protected:
    // The citizen of the appointment checks in, is served with notes, and leaves.
    void serve(const json& appointment, const std::string& notes) {
        auto session = accept(check_in_and_offer(appointment["check_in_code"]));
        ASSERT_FALSE(session.empty());
        auto ended = call("POST", "/api/v1/sessions/" + session + "/end", agent_token_,
                          json{{"outcome", "served"}, {"notes", notes}});
        ASSERT_EQ(ended.status, 200) << ended.raw;
    }

    json daily() {
        auto r = call("GET", "/api/v1/stats/daily?site_id=" + site_ + "&date=2026-12-01", admin_);
        EXPECT_EQ(r.status, 200) << r.raw;
        return r.body;
    }

    std::string value(const std::string& sql) {
        auto rows = this->sql().exec(sql);
        return rows.rows() == 0 ? "<no row>" : std::string(rows.get(0, 0));
    }

};

TEST_F(PrivacyLaw, PurgeAnonymizesWhatPassedRetentionAndKeepsTheDailyFigures) {
    auto served = book("2026-12-01T14:00:00Z", {{"name", "Jean Tremblay"},
                                                {"language", "fr"},
                                                {"phone", "+1 418 555-0199"},
                                                {"email", "jean@example.org"}});
    auto cancelled = book("2026-12-01T14:30:00Z", {{"name", "Anne Roy"}, {"language", "en"}});
    ASSERT_EQ(call("POST", "/api/v1/appointments/" + cancelled["id"].get<std::string>() + "/cancel",
                   admin_, json{{"reason", "Anne Roy called: her son is ill"}})
                  .status,
              200);
    set_now("2026-12-01T13:50:00Z");
    serve(served, "Asked about benefits for her son Luc, file 12345.");
    auto figures = daily();
    EXPECT_EQ(figures["served"], 1) << figures;
    // Booked later: within its retention when the purge runs.
    set_now("2027-02-20T12:00:00Z");
    auto recent = book("2027-03-02T14:00:00Z", {{"name", "Paul Côté"}, {"language", "fr"},
                                               {"email", "paul@example.org"}});

    // 100 days after: past the citizen (90) and address (90) retention, within notes (365).
    ctx_->options.retention_citizen_days = 90;
    ctx_->options.retention_notes_days = 365;
    ctx_->options.retention_audit_details_days = 365;
    ctx_->options.retention_addresses_days = 90;
    auto report = json::parse(
        desk::RetentionPurge::run(sql(), ctx_->options, "2027-03-11T12:00:00Z"));
    EXPECT_EQ(report["appointments_anonymized"], 2) << report;

    auto id = served["id"].get<std::string>();
    EXPECT_EQ(value("SELECT concat_ws('|', citizen_name, citizen_phone, citizen_email, "
                    "cancel_reason) FROM appointments WHERE id = '" + id + "'"),
              "");
    EXPECT_EQ(value("SELECT vg_time(anonymized_at) FROM appointments WHERE id = '" + id + "'"),
              "2027-03-11T12:00:00Z");
    EXPECT_EQ(value("SELECT coalesce(cancel_reason, 'gone') FROM appointments WHERE id = '" +
                    cancelled["id"].get<std::string>() + "'"),
              "gone");
    // Notes went with the citizen they were about; the outcome stays.
    EXPECT_EQ(value("SELECT coalesce(notes, 'gone') || ' ' || outcome FROM call_sessions"),
              "gone served");
    // No trace of the names anywhere in the appointment's history or audit rows.
    for (const char* name : {"Tremblay", "Anne Roy", "jean@example.org"}) {
        for (const char* table : {"appointments", "appointment_history", "audit_events",
                                  "call_sessions"}) {
            EXPECT_EQ(count(std::string(table) + " t WHERE t::text LIKE '%" + name + "%'"), 0)
                << name << " in " << table;
        }
    }
    // Addresses past 90 days are gone; the audit rows themselves stay.
    EXPECT_EQ(count("audit_events WHERE source_address IS NOT NULL AND at < "
                    "'2026-12-10T00:00:00Z'"),
              0);
    EXPECT_GT(count("audit_events WHERE action = 'appointment.book'"), 2);
    // The recent booking keeps everything; the figures are the same as before.
    auto kept = call("GET", "/api/v1/appointments/" + recent["id"].get<std::string>(), admin_);
    EXPECT_EQ(kept.body["citizen"]["email"], "paul@example.org");
    EXPECT_EQ(daily(), figures);
    auto old = call("GET", "/api/v1/appointments/" + id, admin_);
    ASSERT_EQ(old.status, 200) << old.raw;
    EXPECT_EQ(old.body["citizen"], (json{{"language", "fr"}}));
    EXPECT_EQ(old.body["status"], "completed");
}

TEST_F(PrivacyLaw, DailyPurgeRunsOnceADayWhateverTheNodes) {
    auto first = desk::RetentionPurge::run_daily(sql(), ctx_->options, "2026-12-02T03:00:00Z",
                                                 "node-a");
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(json::parse(*first)["appointments_anonymized"], 0);
    EXPECT_FALSE(desk::RetentionPurge::run_daily(sql(), ctx_->options, "2026-12-02T23:59:00Z",
                                                 "node-b"));
    EXPECT_TRUE(desk::RetentionPurge::run_daily(sql(), ctx_->options, "2026-12-03T00:01:00Z",
                                                "node-b"));
    EXPECT_EQ(value("SELECT string_agg(day || ' ' || node, ',' ORDER BY day) FROM "
                    "privacy_purge_runs WHERE finished_at IS NOT NULL"),
              "2026-12-02 node-a,2026-12-03 node-b");
    EXPECT_EQ(count("audit_events WHERE action = 'privacy.purge'"), 2);
}

TEST_F(PrivacyLaw, AuditLogIsAppendOnly) {
    make_site("QC");  // one more audit row
    auto rows = count("audit_events");
    ASSERT_GT(rows, 0);
    for (const char* change :
         {"UPDATE audit_events SET action = 'nothing'", "UPDATE audit_events SET at = now()",
          "UPDATE audit_events SET details = '{\"forged\": true}'",
          "UPDATE audit_events SET source_address = '10.0.0.1'", "DELETE FROM audit_events",
          "TRUNCATE audit_events"}) {
        try {
            sql().exec(change);
            ADD_FAILURE() << change << " was allowed";
        } catch (const db::Error& e) {
            EXPECT_EQ(e.sqlstate(), "42501") << change;
        }
    }
    EXPECT_EQ(count("audit_events"), rows);
    // Removing personal data is the one change allowed (retention, erasure).
    sql().exec("UPDATE audit_events SET details = NULL, source_address = NULL");
    EXPECT_EQ(count("audit_events WHERE details IS NULL AND source_address IS NULL"), rows);
}

TEST_F(PrivacyLaw, ExportAndErasureForThePrivacyOfficer) {
    auto first = book("2026-12-01T14:00:00Z", {{"name", "Jean Tremblay"},
                                               {"language", "fr"},
                                               {"phone", "+1 418 555-0199"},
                                               {"email", "Jean@Example.org"}});
    auto second = book("2026-12-01T15:00:00Z", {{"name", "Jean Tremblay"},
                                                {"language", "fr"},
                                                {"phone", "(418) 555-0100"},
                                                {"email", "jean@example.org"}});
    auto other = book("2026-12-01T14:30:00Z",
                      {{"name", "Anne Roy"}, {"language", "en"}, {"email", "anne@example.org"}});

    auto exported = call("GET", "/api/v1/citizens/export?email=JEAN@example.org", admin_);
    ASSERT_EQ(exported.status, 200) << exported.raw;
    ASSERT_EQ(exported.body["appointments"].size(), 2u) << exported.raw;
    EXPECT_EQ(exported.body["appointments"][0]["id"], first["id"]);
    EXPECT_EQ(exported.body["appointments"][0]["citizen"]["name"], "Jean Tremblay");
    ASSERT_EQ(exported.body["appointments"][0]["history"].size(), 1u) << exported.raw;
    EXPECT_EQ(exported.body["appointments"][0]["history"][0]["action"], "booked");
    EXPECT_GE(exported.body["appointments"][0]["audit"].size(), 1u);  // its booking at least
    EXPECT_EQ(exported.raw.find("Anne"), std::string::npos);
    // A phone matches by its digits, whatever its punctuation.
    auto by_phone = call("GET", "/api/v1/citizens/export?phone=14185550199", admin_);
    ASSERT_EQ(by_phone.status, 200) << by_phone.raw;
    ASSERT_EQ(by_phone.body["appointments"].size(), 1u);
    EXPECT_EQ(by_phone.body["appointments"][0]["id"], first["id"]);
    EXPECT_EQ(count("audit_events WHERE action = 'citizen.export' AND actor_kind = 'api_key' "
                    "AND source_address = '127.0.0.1' AND details->>'by' = 'email'"),
              1);
    EXPECT_EQ(count("audit_events WHERE action = 'citizen.export' AND details::text LIKE "
                    "'%example.org%'"),
              0);  // the audit says how, not who

    // Only the privacy officer; exactly one way to find the citizen.
    EXPECT_EQ(call("GET", "/api/v1/citizens/export?email=jean@example.org", new_key("scheduler"))
                  .status,
              403);
    EXPECT_EQ(call("GET", "/api/v1/citizens/export", admin_).status, 422);
    EXPECT_EQ(call("GET", "/api/v1/citizens/export?email=a@b.org&phone=4185550199", admin_).status,
              422);
    EXPECT_EQ(call("GET", "/api/v1/citizens/export?phone=12", admin_).status, 422);

    // Erasure waits until nothing is booked: a refusal changes nothing.
    auto before = snapshot();
    auto refused = call("POST", "/api/v1/citizens/erasure", admin_,
                        json{{"email", "jean@example.org"}});
    EXPECT_EQ(refused.status, 409) << refused.raw;
    EXPECT_EQ(snapshot(), before);
    for (const auto& a : {first, second})
        ASSERT_EQ(call("POST", "/api/v1/appointments/" + a["id"].get<std::string>() + "/cancel",
                       admin_, json{{"reason", "the citizen asked"}})
                      .status,
                  200);
    auto erased = call("POST", "/api/v1/citizens/erasure", admin_,
                       json{{"email", "jean@example.org"}});
    ASSERT_EQ(erased.status, 200) << erased.raw;
    EXPECT_EQ(erased.body["appointments_anonymized"], 2);
    EXPECT_EQ(count("audit_events WHERE action = 'citizen.erase'"), 1);
    EXPECT_EQ(count("appointments t WHERE t::text LIKE '%Tremblay%' OR t::text LIKE "
                    "'%jean@%' OR t::text LIKE '%555-01%'"),
              0);
    EXPECT_EQ(call("GET", "/api/v1/citizens/export?email=jean@example.org", admin_)
                  .body["appointments"]
                  .size(),
              0u);
    auto kept = call("GET", "/api/v1/appointments/" + other["id"].get<std::string>(), admin_);
    EXPECT_EQ(kept.body["citizen"]["name"], "Anne Roy");
    // Erased appointments stay in the lists, without a citizen to name.
    auto gone = call("GET", "/api/v1/appointments/" + first["id"].get<std::string>(), admin_);
    EXPECT_EQ(gone.body["status"], "cancelled");
    EXPECT_EQ(gone.body["citizen"], (json{{"language", "fr"}}));
}

}  // namespace vg::test
