// API keys after the command line's first one (CONTRACT.md "Credentials after creation"): made
// with an optional expiry and shown once, listed without secrets, revoked at once.
#include "desk/ApiKeys.hpp"
#include "domain/TimeFormat.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Paging.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

using nlohmann::json;

Response create_key(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"role", "name", "expires_at"});
    auto role = fields.one_of("role", true, {"admin", "scheduler", "supervisor"});
    auto name = fields.text("name", true, 200);
    auto expires = fields.text("expires_at", false, 64);
    std::optional<std::string> expires_at;
    if (expires) {
        auto instant = domain::TimeFormat::parse_instant(*expires);
        if (!instant)
            fields.add_error("expires_at", "must be a time such as 2027-01-31T00:00:00Z");
        else if (*instant <= request.now_instant)
            fields.add_error("expires_at", "must be in the future");
        else
            expires_at = domain::TimeFormat::format_instant(*instant);
    }
    fields.finish();
    return request.db.transaction([&](db::Connection& db) {
        auto key = desk::create_api_key(db, *name, *role, expires_at, request.principal.actor());
        request.audit("api_key.create", "api_key", key.id,
                      json{{"role", *role},
                           {"name", *name},
                           {"expires_at", expires_at ? json(*expires_at) : json(nullptr)}}
                          .dump());
        auto answer = json::parse(key.json);
        answer["key"] = key.token;
        auto response = json_response(201, answer.dump());
        response.headers.emplace_back("Location", "/api/v1/api-keys/" + key.id);
        response.headers.emplace_back("Cache-Control", "no-store");
        return response;
    });
}

Response list_keys(ApiRequest& request) {
    auto page = Paging::read(request.http, domain::Validation::is_uuid);
    auto rows = desk::list_api_keys(request.db, page.after, page.limit + 1);
    return json_response(200, Paging::answer("api_keys", rows, page, 1));
}

Response revoke_key(ApiRequest& request) {
    auto id = request.id("id");
    return request.db.transaction([&](db::Connection& db) {
        switch (desk::revoke_api_key(db, request.now, id, request.principal.actor())) {
            case desk::KeyRevocation::NoSuchKey:
                throw Problem(404, "There is no such API key.");
            case desk::KeyRevocation::AlreadyRevoked:
                return Response::no_content();  // the same outcome
            case desk::KeyRevocation::Revoked:
                break;
        }
        request.audit("api_key.revoke", "api_key", id);
        return Response::no_content();
    });
}

}  // namespace

void add_api_key_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "POST", "/api-keys", Role::Admin, create_key);
    serve(router, ctx, "GET", "/api-keys", Role::Admin, list_keys);
    serve(router, ctx, "DELETE", "/api-keys/{id}", Role::Admin, revoke_key);
}

}  // namespace vg::http::api
