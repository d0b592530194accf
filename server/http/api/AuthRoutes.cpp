// Credentials: agent login and logout, booth enrolment.
#include <mutex>

#include "common/Secret.hpp"
#include "desk/AgentAccounts.hpp"
#include "desk/AgentLogins.hpp"
#include "desk/BoothCredentials.hpp"
#include "desk/PasswordHash.hpp"
#include "http/Problem.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using nlohmann::json;

std::string session_cookie(const WebOptions& options, const std::string& token,
                           std::int64_t max_age) {
    return "vg_session=" + token +
           "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
           (options.secure_cookie ? "; Secure" : "");
}

// What an unknown e-mail's password is checked against: an Argon2id hash with the parameters of
// the day, so that it costs what a known one costs and the answer comes as late.
std::string stand_in_hash(const desk::Argon2Parameters& parameters) {
    static std::mutex mutex;
    static desk::Argon2Parameters made_with{0, 0, 0};
    static std::string hash;
    std::lock_guard lock(mutex);
    if (made_with.memory_kib != parameters.memory_kib || made_with.passes != parameters.passes ||
        made_with.lanes != parameters.lanes) {
        hash = desk::PasswordHash::make(common::secret::random_token(), parameters);
        made_with = parameters;
    }
    return hash;
}

// A login attempt begun for email (429 while the limits refuse it), carried through the hashing
// step as JSON with the options' hashing parameters; the route adds its passwords.
json begin_attempt(ApiRequest& request, const std::string& email) {
    auto attempt =
        desk::AgentLogins::begin(request.db, request.now, email, client_of(request.http));
    if (attempt.retry_after)
        throw Problem(429, "Too many failed logins; try again later.")
            .with_header("Retry-After", std::to_string(attempt.retry_after->count()));
    return {{"attempt_id", attempt.attempt_id},
            {"agent_id", attempt.agent_id ? json(*attempt.agent_id) : json(nullptr)},
            {"stored_hash", attempt.stored_hash},
            {"parameters", hashing_parameters(request)}};
}

// The attempt begin_attempt carried, back after the hashing step.
desk::LoginAttempt carried_attempt(const json& prepared) {
    desk::LoginAttempt attempt;
    attempt.attempt_id = prepared["attempt_id"].get<std::string>();
    if (!prepared["agent_id"].is_null()) attempt.agent_id = prepared["agent_id"].get<std::string>();
    attempt.stored_hash = prepared["stored_hash"].get<std::string>();
    return attempt;
}

json login_prepare(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"email", "password"});
    auto email = fields.text("email", true, 254);
    auto password = fields.text("password", true, 200);
    fields.finish();
    auto carried = begin_attempt(request, *email);
    carried["password"] = *password;
    return carried;
}

json login_check(const json& prepared) {
    auto parameters = hashing_parameters(prepared["parameters"]);
    auto password = prepared["password"].get<std::string>();
    bool known = !prepared["agent_id"].is_null();
    auto stored = known ? prepared["stored_hash"].get<std::string>() : stand_in_hash(parameters);
    bool good = desk::PasswordHash::verify(password, stored) && known;
    json hashed = {{"good", good}, {"new_hash", nullptr}};
    // A hash from before Argon2id, or from older parameters, is replaced while we hold the
    // password in the clear.
    if (good && desk::PasswordHash::needs_rehash(stored, parameters))
        hashed["new_hash"] = desk::PasswordHash::make(password, parameters);
    return hashed;
}

Response login_finish(ApiRequest& request, const json& prepared, const json& hashed) {
    auto attempt = carried_attempt(prepared);
    auto address = client_of(request.http);
    if (!hashed["good"].get<bool>()) {
        desk::AgentLogins::fail(request.db, request.now, attempt, address);
        throw Problem(401, "The email or the password is wrong.");
    }
    std::optional<std::string> new_hash;
    if (!hashed["new_hash"].is_null()) new_hash = hashed["new_hash"].get<std::string>();
    const auto ttl = request.ctx.options.agent_session_ttl;
    auto session =
        desk::AgentLogins::succeed(request.db, request.now, attempt, address, ttl, new_hash);
    json answer = {{"token", session.token},
                   {"expires_at", session.expires_at},
                   {"agent", json::parse(session.agent_json)}};
    auto response = json_response(200, answer.dump());
    response.headers.emplace_back("Set-Cookie",
                                  session_cookie(request.ctx.web, session.token, ttl.count()));
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

// PUT /agents/me/password: the current password proves it is the agent (a stolen session token
// is not enough), and counts against the login limits when wrong.
json change_prepare(ApiRequest& request) {
    if (request.principal.kind != desk::Principal::Kind::Agent)
        throw Problem(403, "Only an agent changes their own password.");
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"current_password", "new_password"});
    auto current = fields.text("current_password", true, 200);
    auto next = fields.text("new_password", true, 200, 10);
    fields.finish();
    auto email = desk::AgentAccounts::email(request.db, request.principal.id);
    if (!email) throw Problem(404, "There is no such agent.");
    auto carried = begin_attempt(request, *email);
    carried["current"] = *current;
    carried["next"] = *next;
    return carried;
}

json change_hash(const json& prepared) {
    bool good = !prepared["agent_id"].is_null() &&
                desk::PasswordHash::verify(prepared["current"].get<std::string>(),
                                           prepared["stored_hash"].get<std::string>());
    json hashed = {{"good", good}};
    if (good)
        hashed["hash"] = desk::PasswordHash::make(prepared["next"].get<std::string>(),
                                                  hashing_parameters(prepared["parameters"]));
    return hashed;
}

Response change_finish(ApiRequest& request, const json& prepared, const json& hashed) {
    auto attempt = carried_attempt(prepared);
    auto address = client_of(request.http);
    if (!hashed["good"].get<bool>()) {
        desk::AgentLogins::fail(request.db, request.now, attempt, address);
        throw Problem(403, "The current password is wrong.");
    }
    desk::AgentLogins::settle(request.db, attempt);
    if (desk::AgentAccounts::change_password(request.db, request.now, request.principal, address,
                                             prepared["stored_hash"].get<std::string>(),
                                             hashed["hash"].get<std::string>()) !=
        desk::AgentWrite::Done)
        throw Problem(409, "The password changed meanwhile; try again.");
    return Response::no_content();
}

// PUT /agents/{id}/password (admin): a password the agent must replace at the next login.
json reset_prepare(ApiRequest& request) {
    auto id = request.id("id");
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"password"});
    auto password = fields.text("password", true, 200, 10);
    fields.finish();
    if (!desk::AgentAccounts::version(request.db, id))
        throw Problem(404, "There is no such agent.");
    return {{"next", *password}, {"parameters", hashing_parameters(request)}};
}

json reset_hash(const json& prepared) {
    return {{"hash", desk::PasswordHash::make(prepared["next"].get<std::string>(),
                                              hashing_parameters(prepared["parameters"]))}};
}

Response reset_finish(ApiRequest& request, const json&, const json& hashed) {
    if (desk::AgentAccounts::reset_password(
            request.db, request.now, request.principal, client_of(request.http), request.id("id"),
            hashed["hash"].get<std::string>()) != desk::AgentWrite::Done)
        throw Problem(404, "There is no such agent.");
    return Response::no_content();
}

Response logout(ApiRequest& request) {
    if (request.principal.kind != desk::Principal::Kind::Agent)
        throw Problem(403, "Only an agent's login session can be logged out.");
    desk::AgentLogins::logout(request.db, request.now, request.principal,
                              request.http.client_address);
    auto response = Response::no_content();
    response.headers.emplace_back("Set-Cookie", session_cookie(request.ctx.web, "", 0));
    return response;
}

Response enroll(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"enrollment_token"});
    auto token = fields.text("enrollment_token", true, 256);
    fields.finish();
    auto enrolment = desk::BoothCredentials::enroll(request.db, request.now, *token,
                                                    request.http.client_address);
    if (!enrolment)
        throw Problem(401, "This enrolment token is unknown, used, expired or revoked.");
    auto booth = json::parse(enrolment->booth_json);
    booth["site"] = json::parse(enrolment->site_json);
    auto response =
        json_response(200, json{{"booth_token", enrolment->booth_token}, {"booth", booth}}.dump());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

// POST /booth/rotate-token: the booth's credential replaced; the one used for this request stops
// working as the answer is written.
Response rotate_booth_token(ApiRequest& request) {
    if (request.principal.kind != desk::Principal::Kind::Booth)
        throw Problem(403, "Only a booth rotates its own credential.");
    auto token = desk::BoothCredentials::rotate(request.db, request.now, request.principal,
                                                client_of(request.http));
    if (!token) throw Problem(401, "This booth was revoked.");
    auto response = json_response(200, json{{"booth_token", *token}}.dump());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

}  // namespace

void add_auth_routes(Router& router, ApiContext& ctx) {
    serve_hashing(router, ctx, "POST", "/auth/login", kPublic,
                  {login_prepare, login_check, login_finish});
    serve(router, ctx, "POST", "/auth/logout", Role::Agent | Role::Supervisor | Role::Admin,
          logout);
    serve(router, ctx, "POST", "/booth/enroll", kPublic, enroll);
    serve(router, ctx, "POST", "/booth/rotate-token", Role::Booth, rotate_booth_token);
    serve_hashing(router, ctx, "PUT", "/agents/me/password",
                  Role::Agent | Role::Supervisor | Role::Admin,
                  {change_prepare, change_hash, change_finish});
    serve_hashing(router, ctx, "PUT", "/agents/{id}/password", Role::Admin,
                  {reset_prepare, reset_hash, reset_finish});
}

}  // namespace vg::http::api
