// Credentials: agent login and logout, booth enrolment.
#include "common/Secret.hpp"
#include "desk/Queue.hpp"
#include "http/Problem.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using nlohmann::json;

constexpr int kMaxLoginFailures = 10;
constexpr const char* kLoginFailureWindow = "15 minutes";

std::string session_cookie(const WebOptions& options, const std::string& token,
                           std::int64_t max_age) {
    return "vg_session=" + token +
           "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
           (options.secure_cookie ? "; Secure" : "");
}

// Guessing one account's password: after kMaxLoginFailures wrong ones in the window, the account
// refuses logins (even right ones) until the window has passed.
void refuse_if_locked_out(db::Connection& db, const std::string& agent_id, const std::string& now) {
    auto failures = db.exec(
        "SELECT count(*), extract(epoch FROM min(at) + $3::interval - $2::timestamptz)::bigint "
        "FROM audit_events WHERE object_type = 'agent' AND object_id = $1 "
        "AND action = 'agent.login_failed' AND at > $2::timestamptz - $3::interval",
        {agent_id, now, kLoginFailureWindow});
    if (std::stoi(std::string(failures.get(0, 0))) >= kMaxLoginFailures)
        throw Problem(429, "Too many failed logins; try again later.")
            .with_header("Retry-After", std::to_string(std::max<long long>(
                                            1, std::stoll(std::string(failures.get(0, 1))) + 1)));
}

// Logins of one account that were checked at once take turns from here to their commit, so the
// count above is still true when the outcome is written.
void lock_account(db::Connection& db, const std::string& agent_id) {
    db.exec("SELECT pg_advisory_xact_lock(hashtextextended('login:' || $1, 0))", {agent_id});
}

Response login(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"email", "password"});
    auto email = fields.text("email", true, 254);
    auto password = fields.text("password", true, 200);
    fields.finish();
    auto rows = request.db.exec(
        "SELECT id::text, password_hash FROM agents WHERE lower(email) = lower($1) AND active",
        {*email});
    // Spend the same time for an unknown address as for a wrong password.
    static const std::string dummy =
        common::secret::hash_password("not a password", request.ctx.options.password_iterations);
    bool known = rows.rows() == 1;
    // Checked first without the lock too: a locked-out account costs no password hashing.
    if (known) refuse_if_locked_out(request.db, std::string(rows.get(0, 0)), request.now);
    bool good =
        common::secret::verify_password(*password, known ? std::string(rows.get(0, 1)) : dummy);
    if (!known || !good) {
        auto failed = known ? db::Param{std::string(rows.get(0, 0))} : db::Param{};
        request.db.transaction([&](db::Connection& db) {
            if (known) {
                lock_account(db, *failed);
                refuse_if_locked_out(db, *failed, request.now);
            }
            db.exec(
                "INSERT INTO audit_events (at, actor_kind, action, object_type, object_id, "
                "source_address) VALUES ($1, 'anonymous', 'agent.login_failed', 'agent', $2, $3)",
                {request.now, failed, request.http.client_address});
        });
        throw Problem(401, "The email or the password is wrong.");
    }
    std::string agent_id(rows.get(0, 0));
    auto token = common::secret::random_token();
    const auto ttl = request.ctx.options.agent_session_ttl;
    auto expires = domain::TimeFormat::format_instant(
        request.now_instant + std::chrono::duration_cast<std::chrono::microseconds>(ttl));
    return request.db.transaction([&](db::Connection& db) {
        lock_account(db, agent_id);
        refuse_if_locked_out(db, agent_id, request.now);
        auto session = db.exec(
            "INSERT INTO agent_sessions (agent_id, token_hash, created_at, expires_at, "
            "source_address) VALUES ($1, $2, $3, $4, $5) RETURNING id::text",
            {agent_id, common::secret::token_hash(token), request.now, expires,
             request.http.client_address});
        request.principal.kind = desk::Principal::Kind::Agent;
        request.principal.id = agent_id;
        request.audit("agent.login", "agent_session", std::string(session.get(0, 0)));
        auto agent =
            db.exec("SELECT vg_agent_json(a)::text FROM agents a WHERE id = $1", {agent_id});
        json answer = {
            {"token", token}, {"expires_at", expires}, {"agent", json::parse(agent.get(0, 0))}};
        auto response = json_response(200, answer.dump());
        response.headers.emplace_back("Set-Cookie",
                                      session_cookie(request.ctx.web, token, ttl.count()));
        response.headers.emplace_back("Cache-Control", "no-store");
        return response;
    });
}

Response logout(ApiRequest& request) {
    if (request.principal.kind != desk::Principal::Kind::Agent)
        throw Problem(403, "Only an agent's login session can be logged out.");
    return request.db.transaction([&](db::Connection& db) {
        db.exec("UPDATE agent_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                {request.principal.session_id, request.now});
        // Logging out is leaving the console: nothing can be offered to this agent any more.
        auto presence =
            db.exec("SELECT state::text FROM agent_presence WHERE agent_id = $1 FOR UPDATE",
                    {request.principal.id});
        if (presence.rows() == 1 && presence.get(0, 0) != "offline" &&
            presence.get(0, 0) != "in_call") {
            desk::Queue::return_offers_of(db, request.now, request.principal.id);
            db.exec("UPDATE agent_presence SET state = 'offline', since = $2 WHERE agent_id = $1",
                    {request.principal.id, request.now});
            request.event("presence.changed", std::nullopt, request.principal.id, std::nullopt,
                          request.principal.id);
        }
        request.audit("agent.logout", "agent_session", request.principal.session_id);
        auto response = Response::no_content();
        response.headers.emplace_back("Set-Cookie", session_cookie(request.ctx.web, "", 0));
        return response;
    });
}

Response enroll(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"enrollment_token"});
    auto token = fields.text("enrollment_token", true, 256);
    fields.finish();
    auto booth_token = common::secret::random_token();
    return request.db.transaction([&](db::Connection& db) {
        // Single use: the enrolment token's hash is cleared as it is used.
        auto rows = db.exec(
            "UPDATE booths SET enrolled_at = $2, device_token_hash = $3, "
            "enrollment_token_hash = NULL WHERE enrollment_token_hash = $1 "
            "AND enrolled_at IS NULL AND revoked_at IS NULL AND enrollment_expires_at > $2 "
            "RETURNING id::text, vg_booth_json(booths)::text, "
            "(SELECT vg_site_json(s)::text FROM sites s WHERE s.id = booths.site_id)",
            {common::secret::token_hash(*token), request.now,
             common::secret::token_hash(booth_token)});
        if (rows.rows() == 0) {
            throw Problem(401, "This enrolment token is unknown, used, expired or revoked.");
        }
        std::string booth_id(rows.get(0, 0));
        request.principal.kind = desk::Principal::Kind::Booth;
        request.principal.id = booth_id;
        request.audit("booth.enroll", "booth", booth_id);
        auto booth = json::parse(rows.get(0, 1));
        booth["site"] = json::parse(rows.get(0, 2));
        auto response =
            json_response(200, json{{"booth_token", booth_token}, {"booth", booth}}.dump());
        response.headers.emplace_back("Cache-Control", "no-store");
        return response;
    });
}

}  // namespace

void add_auth_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "POST", "/auth/login", kPublic, login);
    serve(router, ctx, "POST", "/auth/logout", Role::Agent | Role::Supervisor | Role::Admin,
          logout);
    serve(router, ctx, "POST", "/booth/enroll", kPublic, enroll);
}

}  // namespace vg::http::api
