// Call sessions: joining (the token signaling verifies) and ending with an outcome.
#include "desk/ApiKeys.hpp"
#include "desk/CallSessions.hpp"
#include "desk/Placement.hpp"
#include "domain/JoinToken.hpp"
#include "domain/TurnCredentials.hpp"
#include "http/Problem.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using nlohmann::json;

// The problem that answers a refused join or end.
void unless_refused(desk::SessionRefusal refusal, const char* only_whom, const char* ended) {
    switch (refusal) {
        case desk::SessionRefusal::None:
            return;
        case desk::SessionRefusal::NoSuchSession:
            throw Problem(404, "There is no such call session.");
        case desk::SessionRefusal::NotParticipant:
            throw Problem(403, only_whom);
        case desk::SessionRefusal::Ended:
            throw Problem(409, ended);
    }
}

Response join(ApiRequest& request) {
    auto session_id = request.id("id");
    auto seat = desk::CallSessions::seat(request.db, session_id, request.principal);
    unless_refused(seat.refusal, "Only the session's booth and agent join it.",
                   "This call session has ended.");
    const auto& role = seat.role;
    desk::Host host;
    try {
        host = desk::Placement::host(
            request.db, session_id,
            {request.ctx.web.node_name, request.ctx.web.signaling_url, request.ctx.web.draining()});
    } catch (const desk::NoNodeAvailable&) {
        throw Problem(503, "No server node can host the call now; try again shortly.")
            .with_header("Retry-After", "2");
    }
    using namespace std::chrono;
    const auto& options = request.ctx.options;
    auto now = duration_cast<seconds>(request.now_instant.time_since_epoch()).count();
    auto token = domain::JoinToken::sign(
        desk::load_join_token_key(request.db),
        {session_id, role, request.principal.id, now + options.join_token_ttl.count(), host.name});
    json ice = json::array();
    if (!options.turn_uris.empty() && !options.turn_secret.empty()) {
        auto turn = domain::TurnCredentials::issue(options.turn_secret, session_id + ":" + role,
                                                   now + options.turn_credential_ttl.count());
        ice.push_back({{"urls", options.turn_uris},
                       {"username", turn.username},
                       {"credential", turn.credential}});
    }
    json answer = {{"session_id", session_id},
                   {"role", role},
                   {"signaling_url", host.signaling_url},
                   {"join_token", token},
                   {"ice_servers", ice}};
    auto response = json_response(200, answer.dump());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

Response end(ApiRequest& request) {
    auto session_id = request.id("id");
    // Who may end it is checked before the body is read: others learn nothing from a 422.
    const char* only_agent = "Only the session's agent ends it.";
    const char* ended_already = "This call session has ended already.";
    unless_refused(desk::CallSessions::may_end(request.db, session_id, request.principal),
                   only_agent, ended_already);
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"outcome", "notes"});
    auto outcome =
        fields.one_of("outcome", true, {"served", "no_show", "transferred", "technical_failure"});
    auto notes = fields.long_text("notes", false, 4000);
    fields.finish();
    auto ended = desk::CallSessions::end(request.db, request.now, request.principal,
                                         request.http.client_address, session_id, *outcome, notes);
    unless_refused(ended.refusal, only_agent, ended_already);
    return json_response(200, ended.json);
}

}  // namespace

void add_session_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "POST", "/sessions/{id}/join",
          Role::Booth | Role::Agent | Role::Supervisor | Role::Admin, join);
    serve(router, ctx, "POST", "/sessions/{id}/end", Role::Agent | Role::Supervisor | Role::Admin,
          end);
}

}  // namespace vg::http::api
