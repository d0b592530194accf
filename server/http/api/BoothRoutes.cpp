// What a booth does: check in by code, walk in, leave, and ask where its citizen stands. A booth
// never sees citizen data: answers name queue entries and sessions, nothing else.
#include "desk/BoothQueue.hpp"
#include "desk/LiveState.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/ClosedSite.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using desk::BoothRefusal;
using nlohmann::json;

// 201 with where the new entry stands, or the problem that refused it.
Response answer(const desk::BoothEntry& entry) {
    switch (entry.refusal) {
        case BoothRefusal::None:
            break;
        case BoothRefusal::TooManyWrongCodes:
            throw Problem(429, "Too many wrong codes; try again later.")
                .with_header("Retry-After", std::to_string(entry.retry_after_seconds));
        case BoothRefusal::UnknownCode:
            throw Problem(404, "No appointment here has this code.");
        case BoothRefusal::AlreadyCheckedIn:
            throw Problem(409, "This appointment is already checked in.");
        case BoothRefusal::TooEarly:
            throw Problem(409, "It is too early to check in for this appointment.");
        case BoothRefusal::TooLate:
            throw Problem(409, "It is too late to check in: see the counter.");
        case BoothRefusal::Busy:
            throw Problem(409, "A citizen is already waiting or in a call at this booth.");
        case BoothRefusal::NoSuchService:
            throw Problem(422, "Some fields are invalid.", {{"service_id", "names no service"}});
        case BoothRefusal::AppointmentsOnly:
            throw Problem(409, "This service takes appointments only, not walk-ins.");
    }
    return json_response(201, json{{"queue_entry_id", entry.queue_entry_id},
                                   {"position", entry.place.position},
                                   {"estimated_wait_seconds", entry.place.estimated_wait_seconds}}
                                  .dump());
}

Response check_in(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"code"});
    auto typed = fields.text("code", true, 32);
    fields.finish();
    ClosedSite::refuse_arrival(request.db, request.principal.site_ids.at(0), request.now);
    return answer(desk::BoothQueue::check_in(request.db, request.now, request.principal,
                                             request.http.client_address, *typed,
                                             request.ctx.options));
}

Response walk_in(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"service_id", "language"});
    auto service_id = fields.uuid("service_id", true);
    auto language = fields.text("language", true, 3, 2);
    if (language && !domain::Validation::is_language(*language))
        fields.add_error("language", "must be a language code such as fr");
    fields.finish();
    ClosedSite::refuse_arrival(request.db, request.principal.site_ids.at(0), request.now);
    return answer(desk::BoothQueue::walk_in(request.db, request.now, request.principal,
                                            request.http.client_address, *service_id, *language));
}

Response leave(ApiRequest& request) {
    desk::BoothQueue::leave(request.db, request.now, request.principal,
                            request.http.client_address);
    return Response::no_content();
}

Response state(ApiRequest& request) {
    return json_response(
        200, desk::LiveState::booth_state(request.db, request.principal.id, request.now).dump());
}

}  // namespace

void add_booth_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "POST", "/booth/check-in", Role::Booth, check_in);
    serve(router, ctx, "POST", "/booth/walk-in", Role::Booth, walk_in);
    serve(router, ctx, "POST", "/booth/leave", Role::Booth, leave);
    serve(router, ctx, "GET", "/booth/state", Role::Booth, state);
}

}  // namespace vg::http::api
