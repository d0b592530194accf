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

namespace {

using Job = std::function<void(ApiRequest&)>;

// What an agent whose password was reset may still do: change it, read itself, leave.
bool serves_password_change(const Request& request) {
    return request.path == "/api/v1/agents/me/password" || request.path == "/api/v1/agents/me" ||
           request.path == "/api/v1/auth/logout";
}

// One pool job: the caller resolved and checked against roles, then job(request).
void run_request(ApiContext& ctx, Roles roles,
                 const std::shared_ptr<std::pair<Request, Params>>& copy,
                 const Responder& responder, Job job) {
    ctx.pool.submit(
        [&ctx, roles, copy, job = std::move(job)](db::Connection& db) {
            auto now = std::chrono::time_point_cast<std::chrono::microseconds>(ctx.clock());
            ApiRequest request{ctx,
                               copy->first,
                               copy->second,
                               db,
                               desk::Principal{},
                               now,
                               domain::TimeFormat::format_instant(now)};
            if (!roles.empty()) {
                request.principal = Auth::authenticate(db, copy->first, request.now,
                                                       ctx.options.agent_session_idle);
                Auth::require_role(request.principal, roles);
                if (request.principal.password_must_change && !serves_password_change(copy->first))
                    throw Problem(403,
                                  "The password must be changed first (PUT "
                                  "/api/v1/agents/me/password).");
            }
            job(request);
        },
        [responder](std::exception_ptr error) { responder.fail(error); });
}

}  // namespace

void serve(Router& router, ApiContext& ctx, const std::string& method, const std::string& path,
           Roles roles, Body body) {
    auto shared_body = std::make_shared<Body>(std::move(body));
    router.add(
        method, "/api/v1" + path,
        [&ctx, roles, shared_body](const Request& http, const Params& params, Responder responder) {
            auto copy = std::make_shared<std::pair<Request, Params>>(http, params);
            run_request(ctx, roles, copy, responder, [shared_body, responder](ApiRequest& request) {
                responder((*shared_body)(request));
            });
        });
}

void serve_hashing(Router& router, ApiContext& ctx, const std::string& method,
                   const std::string& path, Roles roles, HashingBody body) {
    auto steps = std::make_shared<HashingBody>(std::move(body));
    router.add(
        method, "/api/v1" + path,
        [&ctx, roles, steps](const Request& http, const Params& params, Responder responder) {
            auto copy = std::make_shared<std::pair<Request, Params>>(http, params);
            run_request(
                ctx, roles, copy, responder,
                [&ctx, roles, steps, copy, responder](ApiRequest& request) {
                    auto prepared = std::make_shared<nlohmann::json>(steps->prepare(request));
                    bool queued =
                        ctx.hasher->submit([&ctx, roles, steps, copy, responder, prepared] {
                            try {
                                auto hashed =
                                    std::make_shared<nlohmann::json>(steps->hash(*prepared));
                                run_request(ctx, roles, copy, responder,
                                            [steps, responder, prepared, hashed](ApiRequest& last) {
                                                responder(steps->finish(last, *prepared, *hashed));
                                            });
                            } catch (...) {
                                responder.fail(std::current_exception());
                            }
                        });
                    if (!queued)
                        throw Problem(503, "Too many password checks at once; try again shortly.")
                            .with_header("Retry-After", "1");
                });
        });
}

nlohmann::json hashing_parameters(const ApiRequest& request) {
    const auto& parameters = request.ctx.options.password_hashing;
    return {parameters.memory_kib, parameters.passes, parameters.lanes};
}

desk::Argon2Parameters hashing_parameters(const nlohmann::json& carried) {
    return {carried.at(0), carried.at(1), carried.at(2)};
}

std::string client_of(const Request& request) {
    return request.client_address.empty() ? request.remote_address : request.client_address;
}

}  // namespace vg::http::api
