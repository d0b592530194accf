// Services: the kinds of help a citizen can book or walk in for.
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Paging.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using nlohmann::json;

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
    return request.db.transaction([&](db::Connection& db) {
        auto rows = db.exec(
            "INSERT INTO services (code, name_fr, name_en, duration_minutes, walk_in_allowed, "
            "created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING "
            "RETURNING id::text, vg_service_json(services)::text",
            {*code, *name_fr, *name_en, std::to_string(*duration),
             walk_in.value_or(false) ? "true" : "false", request.now});
        if (rows.rows() == 0) throw Problem(409, "A service with this code exists already.");
        std::string id(rows.get(0, 0));
        request.audit("service.create", "service", id, json{{"code", *code}}.dump());
        auto response = json_response(201, std::string(rows.get(0, 1)));
        response.headers.emplace_back("Location", "/api/v1/services/" + id);
        return response;
    });
}

Response list_services(ApiRequest& request) {
    auto page = Paging::read(request.http, domain::Validation::is_uuid);
    auto rows = request.db.exec(
        "SELECT vg_service_json(s)::text, s.id::text FROM services s "
        "WHERE ($1::uuid IS NULL OR s.id > $1::uuid) ORDER BY s.id LIMIT $2",
        {page.after, std::to_string(page.limit + 1)});
    return json_response(200, Paging::answer("services", rows, page, 1));
}

Response get_service(ApiRequest& request) {
    auto rows = request.db.exec("SELECT vg_service_json(s)::text FROM services s WHERE s.id = $1",
                                {request.id("id")});
    if (rows.rows() == 0) throw Problem(404, "There is no such service.");
    return json_response(200, std::string(rows.get(0, 0)));
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
