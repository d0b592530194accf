#include "http/api/Endpoint.hpp"

#include <memory>

#include "db/Pool.hpp"
#include "desk/DomainEvents.hpp"
#include "domain/Validation.hpp"
#include "http/Problem.hpp"
#include "http/api/Auth.hpp"

namespace vg::http::api {

std::string ApiRequest::id(const std::string& name) const {
    auto it = params.find(name);
    if (it == params.end() || !domain::Validation::is_uuid(it->second))
        throw Problem(404, "There is nothing at this address.");
    return it->second;
}

void ApiRequest::audit(std::string_view action, std::string_view object_type,
                       const std::string& object_id, const std::string& details_json) {
    desk::DomainEvents::audit(db, now, principal, http.client_address, action, object_type,
                              object_id, details_json);
}

void ApiRequest::event(std::string_view type, const std::optional<std::string>& site_id,
                       const std::optional<std::string>& agent_id,
                       const std::optional<std::string>& booth_id,
                       const std::optional<std::string>& object_id) {
    desk::DomainEvents::emit(db, now, type, site_id, agent_id, booth_id, object_id);
}

Response json_response(int status, std::string body) {
    Response response;
    response.status = status;
    response.body = std::move(body);
    return response;
}

void serve(Router& router, ApiContext& ctx, const std::string& method, const std::string& path,
           Roles roles, Body body) {
    auto shared_body = std::make_shared<Body>(std::move(body));
    router.add(
        method, "/api/v1" + path,
        [&ctx, roles, shared_body](const Request& http, const Params& params, Responder responder) {
            auto copy = std::make_shared<std::pair<Request, Params>>(http, params);
            ctx.pool.submit(
                [&ctx, roles, shared_body, copy, responder](db::Connection& db) {
                    auto now = std::chrono::time_point_cast<std::chrono::microseconds>(ctx.clock());
                    ApiRequest request{ctx,
                                       copy->first,
                                       copy->second,
                                       db,
                                       desk::Principal{},
                                       now,
                                       domain::TimeFormat::format_instant(now)};
                    if (!roles.empty()) {
                        request.principal = Auth::authenticate(db, copy->first, request.now);
                        Auth::require_role(request.principal, roles);
                    }
                    responder((*shared_body)(request));
                },
                [responder](std::exception_ptr error) { responder.fail(error); });
        });
}

}  // namespace vg::http::api
