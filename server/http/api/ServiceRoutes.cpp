// Services: the kinds of help a citizen can book or walk in for.
#include "desk/Services.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Paging.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

Response create_service(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"code", "name_fr", "name_en", "duration_minutes", "walk_in_allowed"});
    auto code = fields.text("code", true, 32);
    if (code && code->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789_-") != std::string::npos)
        fields.add_error("code", "must be letters, digits, '_' or '-'");
    auto name_fr = fields.text("name_fr", true, 200);
    auto name_en = fields.text("name_en", true, 200);
    auto duration = fields.integer("duration_minutes", true, 5, 480);
    auto walk_in = fields.boolean("walk_in_allowed", false);
    fields.finish();
    auto created = desk::Services::create(
        request.db, request.now, request.principal, request.http.client_address,
        {*code, *name_fr, *name_en, static_cast<int>(*duration), walk_in.value_or(false)});
    if (!created) throw Problem(409, "A service with this code exists already.");
    auto response = json_response(201, created->json);
    response.headers.emplace_back("Location", "/api/v1/services/" + created->id);
    return response;
}

Response list_services(ApiRequest& request) {
    auto page = Paging::read(request.http, domain::Validation::is_uuid);
    auto rows = desk::Services::list(request.db, page.after, page.limit + 1);
    return json_response(200, Paging::answer("services", rows, page, 1));
}

Response get_service(ApiRequest& request) {
    auto service = desk::Services::view_json(request.db, request.id("id"));
    if (!service) throw Problem(404, "There is no such service.");
    return json_response(200, *service);
}

}  // namespace

void add_service_routes(Router& router, ApiContext& ctx) {
    // Booths read services too: the walk-in screen offers those that take walk-ins.
    const desk::Roles readers =
        Role::Admin | Role::Scheduler | Role::Supervisor | Role::Agent | Role::Booth;
    serve(router, ctx, "POST", "/services", Role::Admin, create_service);
    serve(router, ctx, "GET", "/services", readers, list_services);
    serve(router, ctx, "GET", "/services/{id}", readers, get_service);
}

}  // namespace vg::http::api
