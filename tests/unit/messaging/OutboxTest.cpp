// The outbox on the real database: the booking change writes its message, senders send each
// message once (also two at a time), retry with back-off while the relay refuses, give up after
// the limit, and take over a message whose sender died.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "messaging/Gsm7.hpp"
#include "messaging/Outbox.hpp"
#include "messaging/Sender.hpp"
#include "unit/desk/DeskFixture.hpp"

namespace vg::test {

namespace {

// Where the sender's e-mails go in these tests: what the relay accepted, or its refusal.
class RecordingRelay : public messaging::MailTransport {
  public:
    void send(const messaging::Envelope& envelope) override {
        if (refusing) throw std::runtime_error("451 relay busy");
        std::lock_guard lock(mutex);
        accepted.push_back(envelope);
    }
    std::atomic<bool> refusing{false};
    std::mutex mutex;
    std::vector<messaging::Envelope> accepted;
};

// The SMS gateway's stand-in: what it accepted.
class RecordingGateway : public messaging::SmsGateway {
  public:
    void send(const messaging::TextMessage& message) override { accepted.push_back(message); }
    std::vector<messaging::TextMessage> accepted;
};

class OutboxTest : public DeskTest {
  protected:
    std::string book(const std::string& starts_at, std::optional<std::string> email,
                     const std::string& language = "fr",
                     std::optional<std::string> phone = std::nullopt) {
        static int code = 0;
        return std::string(
            db_->exec("INSERT INTO appointments (site_id, service_id, booth_id, agent_id, "
                      "starts_at, ends_at, citizen_name, citizen_language, citizen_email, "
                      "citizen_phone, check_in_code, created_by, created_at, updated_at) VALUES "
                      "($1, $2, $3, $4, $5, $5::timestamptz + interval '20 minutes', "
                      "'Camille Gagnon', $6, $7, $10, $8, 'api_key:test', $9, $9) "
                      "RETURNING id::text",
                      {site_, service_, booth_, agent_, starts_at, language, email,
                       "CODE" + std::to_string(++code), now_text(), phone})
                .get(0, 0));
    }
    std::string now_text() {
        return domain::TimeFormat::format_instant(
            std::chrono::time_point_cast<std::chrono::microseconds>(now_));
    }
    messaging::Sender sender(RecordingRelay& relay, int max_attempts = 10, int batch = 10,
                             RecordingGateway* gateway = nullptr) {
        messaging::SenderOptions options;
        options.conninfo = database_->url();
        options.batch = batch;
        options.max_attempts = max_attempts;
        options.retry_first = std::chrono::seconds(30);
        messaging::Composer composer(
            {VG_SOURCE_DIR "/messages", "http://127.0.0.1:8080", "Visioguichet <rdv@example.org>"},
            messaging::VisitLink::load(*db_));
        return messaging::Sender(options, std::move(composer), &relay, gateway,
                                 [this] { return now_; });
    }
    void advance(std::chrono::seconds by) { now_ += by; }
    std::string state(const std::string& appointment) {
        return value(
            "SELECT string_agg(kind || ':' || state::text, ',' ORDER BY created_at) "
            "FROM messages WHERE appointment_id = '" +
            appointment + "'");
    }

    std::chrono::system_clock::time_point now_ =
        std::chrono::system_clock::time_point(*domain::TimeFormat::parse_instant(kNow));
};

}  // namespace

TEST_F(OutboxTest, BookingMovingAndCancellingEachWriteOneMessageInTheSameTransaction) {
    auto id = book("2026-12-14T14:40:00Z", "camille@example.org");
    EXPECT_EQ(state(id), "confirmation:pending");
    sql("UPDATE appointments SET starts_at = '2026-12-15T14:40:00Z', ends_at = "
        "'2026-12-15T15:00:00Z', version = version + 1 WHERE id = '" +
        id + "'");
    sql("UPDATE appointments SET status = 'cancelled', cancelled_at = now(), cancel_reason = "
        "'tempête' WHERE id = '" +
        id + "'");
    EXPECT_EQ(state(id), "confirmation:pending,moved:pending,cancelled:pending");
    EXPECT_EQ(value("SELECT details->>'old_starts_at' FROM messages WHERE kind = 'moved'"),
              "2026-12-14T14:40:00Z");
    // A change that rolls back leaves no message; without an e-mail there is none to send.
    EXPECT_THROW(db_->transaction([&](db::Connection& db) {
        db.exec("UPDATE appointments SET status = 'booked', cancelled_at = NULL WHERE id = $1",
                {id});
        throw std::runtime_error("rolled back");
    }),
                 std::runtime_error);
    EXPECT_EQ(value("SELECT count(*) FROM messages"), "3");
    book("2026-12-14T15:00:00Z", std::nullopt);
    EXPECT_EQ(value("SELECT count(*) FROM messages"), "3");
}

TEST_F(OutboxTest, ConfirmationSaysCodeLocalTimeAndSiteWithTheIcsStart) {
    sql("UPDATE sites SET address = '180, rue Notre-Dame, Nicolet'");
    auto id = book("2026-12-14T14:40:00Z", "camille@example.org");
    RecordingRelay relay;
    auto s = sender(relay);
    auto claimed = messaging::Outbox::claim(*db_, kNow, 1, std::chrono::seconds(60));
    ASSERT_EQ(claimed.size(), 1u);
    messaging::Composer composer(
        {VG_SOURCE_DIR "/messages", "https://rdv.example.org", "Visioguichet <rdv@example.org>"},
        messaging::VisitLink::load(*db_));
    auto mail = composer.email(*db_, claimed[0], *domain::TimeFormat::parse_instant(kNow));
    auto code = value("SELECT check_in_code FROM appointments WHERE id = '" + id + "'");
    EXPECT_NE(mail.text.find(code), std::string::npos);
    // America/Toronto, the site's zone: 14:40 UTC is 9:40 in December.
    EXPECT_NE(mail.text.find("lundi 14 décembre 2026"), std::string::npos);
    EXPECT_NE(mail.text.find("9 h 40"), std::string::npos);
    EXPECT_NE(mail.text.find("Nicolet, 180, rue Notre-Dame, Nicolet"), std::string::npos);
    EXPECT_NE(mail.text.find("https://rdv.example.org/visit/#"), std::string::npos);
    EXPECT_EQ(mail.message_id, "<" + claimed[0].id + "@example.org>");
    ASSERT_EQ(mail.attachments.size(), 1u);
    EXPECT_NE(mail.attachments[0].content.find("DTSTART:20261214T144000Z"), std::string::npos);
    auto link = messaging::VisitLink::load(*db_);
    auto token = mail.text.substr(mail.text.find("/visit/#") + 8, 48);
    EXPECT_EQ(link.appointment(token, *domain::TimeFormat::parse_instant(kNow)), id);
}

TEST_F(OutboxTest, TwoSendersSendEveryMessageExactlyOnce) {
    std::vector<std::string> ids;
    for (int i = 0; i < 40; ++i) {
        auto minute = 10 + i % 40;
        ids.push_back(book(
            "2026-12-" + std::to_string(14 + i / 40) + "T14:" + std::to_string(minute) + ":00Z",
            "c" + std::to_string(i) + "@example.org"));
        sql("UPDATE appointments SET status = 'completed' WHERE id = '" + ids.back() + "'");
    }
    RecordingRelay relay;
    auto first = sender(relay, 10, 3);
    auto second = sender(relay, 10, 3);
    std::atomic<int> claims[2] = {0, 0};
    auto drain = [&](messaging::Sender& s, int n) {
        db::Connection db(database_->url());
        for (int got; (got = s.run_once(db)) > 0;) claims[n] += got;
    };
    std::thread a([&] { drain(first, 0); });
    std::thread b([&] { drain(second, 1); });
    a.join();
    b.join();
    std::map<std::string, int> per_recipient;
    for (const auto& e : relay.accepted) ++per_recipient[e.to];
    EXPECT_EQ(relay.accepted.size(), 40u);
    EXPECT_EQ(per_recipient.size(), 40u);
    EXPECT_EQ(claims[0] + claims[1], 40);
    EXPECT_EQ(value("SELECT count(*) FROM messages WHERE state = 'sent' AND attempts = 1"), "40");
    EXPECT_EQ(first.stats().sent + second.stats().sent, 40u);
}

TEST_F(OutboxTest, RefusedMessageWaitsLongerEachTimeThenGoesOutOnceTheRelayRecovers) {
    auto id = book("2026-12-14T14:40:00Z", "camille@example.org");
    RecordingRelay relay;
    relay.refusing = true;
    auto s = sender(relay);
    EXPECT_EQ(s.run_once(*db_), 1);
    EXPECT_EQ(value("SELECT state::text || ' ' || attempts || ' ' || last_error || ' ' || "
                    "vg_time(next_attempt_at) FROM messages"),
              "pending 1 451 relay busy 2026-12-01T14:00:30Z");
    EXPECT_EQ(s.run_once(*db_), 0);  // not due yet
    advance(std::chrono::seconds(30));
    EXPECT_EQ(s.run_once(*db_), 1);
    EXPECT_EQ(value("SELECT vg_time(next_attempt_at) FROM messages"), "2026-12-01T14:01:30Z");
    relay.refusing = false;
    advance(std::chrono::seconds(59));
    EXPECT_EQ(s.run_once(*db_), 0);
    advance(std::chrono::seconds(1));
    EXPECT_EQ(s.run_once(*db_), 1);
    EXPECT_EQ(relay.accepted.size(), 1u);
    EXPECT_EQ(state(id), "confirmation:sent");
    EXPECT_EQ(value("SELECT attempts || ' ' || coalesce(last_error, '-') FROM messages"), "3 -");
    advance(std::chrono::hours(2));
    EXPECT_EQ(s.run_once(*db_), 0);
    EXPECT_EQ(relay.accepted.size(), 1u);
    EXPECT_EQ(s.stats().attempts_failed, 2u);
    EXPECT_EQ(s.stats().sent, 1u);
}

TEST_F(OutboxTest, MessageIsGivenUpAfterTheLimitAndAdminsSeeWhy) {
    auto id = book("2026-12-14T14:40:00Z", "camille@example.org");
    RecordingRelay relay;
    relay.refusing = true;
    auto s = sender(relay, 2);
    EXPECT_EQ(s.run_once(*db_), 1);
    advance(std::chrono::minutes(1));
    EXPECT_EQ(s.run_once(*db_), 1);
    advance(std::chrono::hours(24));
    EXPECT_EQ(s.run_once(*db_), 0);
    EXPECT_EQ(state(id), "confirmation:failed");
    EXPECT_EQ(s.stats().given_up, 1u);
    auto listed = nlohmann::json::parse(messaging::Outbox::list_json(*db_, id));
    ASSERT_EQ(listed["messages"].size(), 1u);
    EXPECT_EQ(listed["messages"][0]["state"], "failed");
    EXPECT_EQ(listed["messages"][0]["attempts"], 2);
    EXPECT_EQ(listed["messages"][0]["last_error"], "451 relay busy");
    EXPECT_FALSE(listed["messages"][0].contains("recipient"));
}

TEST_F(OutboxTest, MessageOfASenderThatDiedIsSentByAnotherAfterItsLease) {
    book("2026-12-14T14:40:00Z", "camille@example.org");
    auto dead = messaging::Outbox::claim(*db_, kNow, 10, std::chrono::seconds(300));
    ASSERT_EQ(dead.size(), 1u);
    RecordingRelay relay;
    auto s = sender(relay);
    EXPECT_EQ(s.run_once(*db_), 0);  // still leased
    advance(std::chrono::seconds(300));
    EXPECT_EQ(s.run_once(*db_), 1);
    EXPECT_EQ(relay.accepted.size(), 1u);
    // The first sender, back from the dead, cannot record its stale claim.
    EXPECT_FALSE(messaging::Outbox::mark_sent(*db_, dead[0], kNow));
    EXPECT_EQ(value("SELECT state::text || ' ' || attempts FROM messages"), "sent 2");
}

}  // namespace vg::test

namespace vg::test {

TEST_F(OutboxTest, SmsGoesToTheGatewayInTheGsmAlphabetWithinOneMessage) {
    auto id = book("2026-12-14T14:40:00Z", std::nullopt, "fr", "+1 819 555-0100");
    EXPECT_EQ(state(id), "confirmation:pending");
    RecordingRelay relay;
    // A node without a gateway leaves the SMS to one that has it.
    auto mail_only = sender(relay);
    EXPECT_EQ(mail_only.run_once(*db_), 0);
    RecordingGateway gateway;
    auto s = sender(relay, 10, 10, &gateway);
    EXPECT_EQ(s.run_once(*db_), 1);
    ASSERT_EQ(gateway.accepted.size(), 1u);
    const auto& sms = gateway.accepted[0];
    EXPECT_EQ(sms.to, "+1 819 555-0100");
    EXPECT_EQ(sms.language, "fr");
    auto code = value("SELECT check_in_code FROM appointments WHERE id = '" + id + "'");
    EXPECT_NE(sms.text.find("Code " + code), std::string::npos) << sms.text;
    EXPECT_NE(sms.text.find("lun. 14 déc. 9 h 40"), std::string::npos) << sms.text;
    EXPECT_NE(sms.text.find("Gérer : http://127.0.0.1:8080/visit/#"), std::string::npos);
    EXPECT_GT(messaging::Gsm7::septets(sms.text), 0) << sms.text;
    EXPECT_LE(messaging::Gsm7::septets(sms.text), 160) << sms.text;
    EXPECT_EQ(s.stats().sms_sent, 1u);
    EXPECT_TRUE(relay.accepted.empty());
}

TEST_F(OutboxTest, RemindersGoOutAtTheirOffsetsOnceAndAgainAfterAMove) {
    // Booked at kNow (14:00) for 17:40: the 24 h reminder's moment is already past when booked
    // (no reminder for it), the 2 h one comes at 15:40.
    auto id = book("2026-12-01T17:40:00Z", "camille@example.org");
    RecordingRelay relay;
    auto s = sender(relay);
    EXPECT_EQ(s.run_once(*db_), 1);  // the confirmation
    advance(std::chrono::minutes(99));
    EXPECT_EQ(s.run_once(*db_), 0);
    advance(std::chrono::minutes(1));
    EXPECT_EQ(s.run_once(*db_), 1);
    EXPECT_EQ(s.run_once(*db_), 0);
    EXPECT_EQ(state(id), "confirmation:sent,reminder:sent");
    ASSERT_EQ(relay.accepted.size(), 2u);
    EXPECT_NE(relay.accepted[1].data.find("Subject: =?UTF-8?B?"), std::string::npos);
    // Moved (at 15:41) to the next day: a moved message, then both reminders again in time.
    sql("UPDATE appointments SET starts_at = '2026-12-02T17:40:00Z', ends_at = "
        "'2026-12-02T18:00:00Z', updated_at = '2026-12-01T15:41:00Z' WHERE id = '" +
        id + "'");
    sql("INSERT INTO appointment_history (appointment_id, action, actor, at) VALUES ('" + id +
        "', 'rescheduled', 'test', '2026-12-01T15:41:00Z')");
    advance(std::chrono::minutes(1));
    EXPECT_EQ(s.run_once(*db_), 1);
    advance(std::chrono::hours(2));  // 17:41, 24 h before the new start: due
    EXPECT_EQ(s.run_once(*db_), 1);
    advance(std::chrono::hours(22));  // 15:41 the next day: the 2 h one
    EXPECT_EQ(s.run_once(*db_), 1);
    EXPECT_EQ(state(id), "confirmation:sent,reminder:sent,moved:sent,reminder:sent,reminder:sent");
    // A second node adding the same reminders adds nothing.
    EXPECT_EQ(messaging::Outbox::queue_reminders(*db_, now_text(), {24 * 60, 2 * 60}), 0);
}

TEST_F(OutboxTest, CancelledVisitGetsNoReminder) {
    auto id = book("2026-12-01T17:40:00Z", "camille@example.org");
    sql("UPDATE appointments SET status = 'cancelled', cancelled_at = now() WHERE id = '" + id +
        "'");
    advance(std::chrono::hours(2));
    EXPECT_EQ(messaging::Outbox::queue_reminders(*db_, now_text(), {24 * 60, 2 * 60}), 0);
}

}  // namespace vg::test
