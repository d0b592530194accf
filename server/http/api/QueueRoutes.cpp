// The queue as agents see it: the list of a site, claim the next entry, accept or decline it.
#include <nlohmann/json.hpp>

#include "desk/LiveState.hpp"
#include "desk/Offers.hpp"
#include "http/Problem.hpp"
#include "http/api/Auth.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using desk::OfferRefusal;
using nlohmann::json;

void require_agent_session(const ApiRequest& request) {
    if (request.principal.kind != desk::Principal::Kind::Agent)
        throw Problem(403, "Only an agent takes citizens from the queue.");
}

// The problem that answers a refused claim, accept or decline; the result when none.
desk::OfferResult unless_refused(const ApiRequest& request, desk::OfferResult result) {
    switch (result.refusal) {
        case OfferRefusal::None:
            break;
        case OfferRefusal::NotAvailable:
            throw Problem(409, "Only an available agent can take the next citizen (now " +
                                   result.state + ").");
        case OfferRefusal::NoSuchEntry:
            throw Problem(404, "There is no such queue entry.");
        case OfferRefusal::OtherSite:
            Auth::require_site(request.principal, result.site_id);
            break;
        case OfferRefusal::NotOnOffer:
            throw Problem(409, "This entry is not on offer.");
        case OfferRefusal::OfferedToAnother:
            throw Problem(403, "This entry is offered to another agent.");
        case OfferRefusal::Expired:
            throw Problem(409, "The offer expired.");
    }
    return result;
}

Response site_queue(ApiRequest& request) {
    auto site_id = request.id("id");
    auto queues = desk::LiveState::queues(request.db, std::vector{site_id}, request.now);
    if (queues.empty()) throw Problem(404, "There is no such site.");
    Auth::require_site(request.principal, site_id);
    return json_response(200, json{{"entries", queues[0]["entries"]}}.dump());
}

Response claim_next(ApiRequest& request) {
    require_agent_session(request);
    auto expires = domain::TimeFormat::format_instant(
        request.now_instant +
        std::chrono::duration_cast<std::chrono::microseconds>(request.ctx.options.offer_timeout));
    auto claimed = unless_refused(
        request, desk::Offers::claim_next(request.db, request.now, expires, request.principal,
                                          request.http.client_address));
    if (claimed.offered_json.empty()) return Response::no_content();
    return json_response(200, claimed.offered_json);
}

Response accept(ApiRequest& request) {
    require_agent_session(request);
    auto entry_id = request.id("id");
    auto accepted =
        unless_refused(request, desk::Offers::accept(request.db, request.now, request.principal,
                                                     request.http.client_address, entry_id));
    auto response = json_response(
        201, json{{"session_id", accepted.session_id}, {"queue_entry_id", entry_id}}.dump());
    response.headers.emplace_back("Location", "/api/v1/sessions/" + accepted.session_id);
    return response;
}

Response decline(ApiRequest& request) {
    require_agent_session(request);
    unless_refused(request, desk::Offers::decline(request.db, request.now, request.principal,
                                                  request.http.client_address, request.id("id")));
    return Response::no_content();
}

}  // namespace

void add_queue_routes(Router& router, ApiContext& ctx) {
    const desk::Roles agents = Role::Agent | Role::Supervisor | Role::Admin;
    serve(router, ctx, "GET", "/sites/{id}/queue", agents, site_queue);
    serve(router, ctx, "POST", "/queue/claim-next", agents, claim_next);
    serve(router, ctx, "POST", "/queue/{id}/accept", agents, accept);
    serve(router, ctx, "POST", "/queue/{id}/decline", agents, decline);
}

}  // namespace vg::http::api
