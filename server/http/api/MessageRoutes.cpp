// The outbox as admins see it: which messages an appointment produced, their state and the last
// error of the relay (issue 16).
#include "desk/Appointments.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/Auth.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/Routes.hpp"
#include "messaging/Outbox.hpp"

namespace vg::http::api {

namespace {

Response list_messages(ApiRequest& request) {
    auto appointment_id = request.http.query_param("appointment_id");
    if (!appointment_id || !domain::Validation::is_uuid(*appointment_id))
        throw Problem(422, "Some parameters are invalid.",
                      {{"appointment_id", "is required and must be a UUID"}});
    auto appointment = desk::Appointments::load(request.db, *appointment_id, false);
    if (!appointment) throw Problem(404, "There is no such appointment.");
    Auth::require_site(request.principal, appointment->site_id);
    return json_response(200, messaging::Outbox::list_json(request.db, *appointment_id));
}

}  // namespace

void add_message_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "GET", "/messages", Role::Admin, list_messages);
}

}  // namespace vg::http::api
