#include "desk/AgentLogins.hpp"

#include "common/Secret.hpp"
#include "desk/AgentPresence.hpp"
#include "desk/DomainEvents.hpp"
#include "domain/TimeFormat.hpp"

namespace vg::desk {

namespace {

// The e-mail as the counters know it: the same for every spelling the unique index treats alike.
constexpr const char* kEmailKey = "encode(sha256(convert_to(lower($1), 'UTF8')), 'hex')";

std::optional<std::chrono::seconds> wait_of(db::Result& rows) {
    if (rows.is_null(0, 0)) return std::nullopt;
    auto value = std::stoll(std::string(rows.get(0, 0)));
    if (value <= 0) return std::nullopt;
    return std::chrono::seconds(value);
}

}  // namespace

LoginAttempt AgentLogins::begin(db::Connection& db, const std::string& now,
                                const std::string& email, const std::string& address) {
    return db.transaction([&](db::Connection& tx) {
        // Always in this order (address, then e-mail), so two logins never wait on each other.
        tx.exec("SELECT pg_advisory_xact_lock(hashtextextended('login-address:' || $1, 0))",
                {address});
        auto key = tx.exec(std::string("SELECT ") + kEmailKey, {email});
        std::string email_key(key.get(0, 0));
        tx.exec("SELECT pg_advisory_xact_lock(hashtextextended('login-email:' || $1, 0))",
                {email_key});
        // Seconds still to wait, or NULL: the delay doubles with each failure past the limit.
        auto by_address = tx.exec(
            "SELECT CASE WHEN count(*) >= 5 THEN ceil(extract(epoch FROM max(at) + "
            "least(power(2, count(*) - 5), 300) * interval '1 second' - $2::timestamptz)) END "
            "FROM login_attempts WHERE source_address = $1 AND NOT succeeded "
            "AND at > $2::timestamptz - interval '15 minutes'",
            {address, now});
        LoginAttempt attempt;
        if ((attempt.retry_after = wait_of(by_address))) return attempt;
        auto by_email = tx.exec(
            "SELECT CASE WHEN count(*) >= 10 AND count(*) FILTER (WHERE source_address = $2) > 0 "
            "THEN ceil(extract(epoch FROM max(at) FILTER (WHERE source_address = $2) + "
            "least(power(2, count(*) - 10), 60) * interval '1 second' - $3::timestamptz)) END "
            "FROM login_attempts WHERE email_key = $1 AND NOT succeeded "
            "AND at > $3::timestamptz - interval '15 minutes'",
            {email_key, address, now});
        if ((attempt.retry_after = wait_of(by_email))) return attempt;
        // Counted as a failure until it succeeds: a guess in flight holds its place.
        attempt.attempt_id =
            std::string(tx.exec("INSERT INTO login_attempts (at, email_key, source_address) "
                                "VALUES ($1, $2, $3) RETURNING id::text",
                                {now, email_key, address})
                            .get(0, 0));
        // What has passed both windows no longer counts: keep the table small.
        tx.exec(
            "DELETE FROM login_attempts WHERE (source_address = $1 OR email_key = $2) "
            "AND at < $3::timestamptz - interval '1 day'",
            {address, email_key, now});
        auto agent = tx.exec(
            "SELECT id::text, password_hash FROM agents WHERE lower(email) = lower($1) AND active",
            {email});
        if (agent.rows() == 1) {
            attempt.agent_id = std::string(agent.get(0, 0));
            attempt.stored_hash = std::string(agent.get(0, 1));
        }
        return attempt;
    });
}

void AgentLogins::fail(db::Connection& db, const std::string& now, const LoginAttempt& attempt,
                       const std::string& address) {
    db.exec(
        "INSERT INTO audit_events (at, actor_kind, action, object_type, object_id, "
        "source_address) VALUES ($1, 'anonymous', 'agent.login_failed', 'agent', $2, $3)",
        {now, attempt.agent_id ? db::Param{*attempt.agent_id} : db::Param{}, address});
}

void AgentLogins::settle(db::Connection& db, const LoginAttempt& attempt) {
    db.exec("UPDATE login_attempts SET succeeded = true WHERE id = $1", {attempt.attempt_id});
}

AgentSession AgentLogins::succeed(db::Connection& db, const std::string& now,
                                  const LoginAttempt& attempt, const std::string& address,
                                  std::chrono::seconds ttl,
                                  const std::optional<std::string>& new_hash) {
    auto instant = domain::TimeFormat::parse_instant(now);
    AgentSession session;
    session.token = common::secret::random_token();
    session.expires_at = domain::TimeFormat::format_instant(
        *instant + std::chrono::duration_cast<std::chrono::microseconds>(ttl));
    return db.transaction([&](db::Connection& tx) {
        settle(tx, attempt);
        // Only over the hash that was checked: a password changed meanwhile stays changed.
        if (new_hash)
            tx.exec("UPDATE agents SET password_hash = $3 WHERE id = $1 AND password_hash = $2",
                    {*attempt.agent_id, attempt.stored_hash, *new_hash});
        session.session_id = std::string(
            tx.exec("INSERT INTO agent_sessions (agent_id, token_hash, created_at, expires_at, "
                    "last_used_at, source_address) VALUES ($1, $2, $3, $4, $3, $5) "
                    "RETURNING id::text",
                    {*attempt.agent_id, common::secret::token_hash(session.token), now,
                     session.expires_at, address})
                .get(0, 0));
        Principal agent;
        agent.kind = Principal::Kind::Agent;
        agent.id = *attempt.agent_id;
        DomainEvents::audit(tx, now, agent, address, "agent.login", "agent_session",
                            session.session_id);
        session.agent_json =
            std::string(tx.exec("SELECT vg_agent_json(a)::text FROM agents a WHERE id = $1",
                                {*attempt.agent_id})
                            .get(0, 0));
        return session;
    });
}

void AgentLogins::logout(db::Connection& db, const std::string& now, const Principal& agent,
                         const std::string& address) {
    db.transaction([&](db::Connection& tx) {
        tx.exec("UPDATE agent_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                {agent.session_id, now});
        AgentPresence::leave_console(tx, now, agent.id);
        DomainEvents::audit(tx, now, agent, address, "agent.logout", "agent_session",
                            agent.session_id);
    });
}

}  // namespace vg::desk
