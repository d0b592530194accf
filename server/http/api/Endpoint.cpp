#include "http/api/Endpoint.hpp"

#include <memory>

#include "db/Pool.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/Auth.hpp"

namespace vg::http::api {

std::string Call::id(const std::string& name) const {
    auto it = params.find(name);
    if (it == params.end() || !domain::Validation::is_uuid(it->second))
        throw Problem(404, "There is nothing at this address.");
    return it->second;
}

void Call::audit(std::string_view action, std::string_view object_type,
                 const std::string& object_id, const std::string& details_json) {
    db.exec(
        "INSERT INTO audit_events (at, actor_kind, actor_id, action, object_type, object_id, "
        "source_address, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)",
        {now, principal.id.empty() ? std::string("anonymous") : principal.kind_name(),
         principal.id.empty() ? db::Param{} : db::Param{principal.id}, std::string(action),
         std::string(object_type), object_id, request.remote_address, details_json});
}

void Call::event(std::string_view type, const std::optional<std::string>& site_id,
                 const std::optional<std::string>& agent_id,
                 const std::optional<std::string>& booth_id,
                 const std::optional<std::string>& object_id) {
    emit_event(db, now, type, site_id, agent_id, booth_id, object_id);
}

void emit_event(db::Connection& db, const std::string& now, std::string_view type,
                const std::optional<std::string>& site_id,
                const std::optional<std::string>& agent_id,
                const std::optional<std::string>& booth_id,
                const std::optional<std::string>& object_id) {
    db.exec(
        "INSERT INTO domain_events (type, site_id, agent_id, booth_id, object_id, at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {std::string(type), site_id, agent_id, booth_id, object_id, now});
}

Response json_response(int status, std::string body) {
    Response response;
    response.status = status;
    response.body = std::move(body);
    return response;
}

void serve(Router& router, ApiContext& ctx, const std::string& method, const std::string& path,
           unsigned roles, Body body) {
    auto shared_body = std::make_shared<Body>(std::move(body));
    router.add(method, "/api/v1" + path,
               [&ctx, roles, shared_body](const Request& request, const Params& params,
                                          Responder responder) {
                   auto copy = std::make_shared<std::pair<Request, Params>>(request, params);
                   ctx.pool.submit(
                       [&ctx, roles, shared_body, copy, responder](db::Connection& db) {
                           auto now =
                               std::chrono::time_point_cast<std::chrono::microseconds>(ctx.clock());
                           Call call{ctx,
                                     copy->first,
                                     copy->second,
                                     db,
                                     Principal{},
                                     now,
                                     domain::TimeFormat::format_instant(now)};
                           if (roles != kPublic) {
                               call.principal = Auth::authenticate(db, copy->first, call.now);
                               Auth::require_role(call.principal, roles);
                           }
                           responder((*shared_body)(call));
                       },
                       [responder](std::exception_ptr error) { responder.fail(error); });
               });
}

}  // namespace vg::http::api
