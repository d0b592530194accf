#pragma once
// How a REST route runs: the handler copies the request, and one database pool job resolves the
// caller, checks the role, and runs the route's body, whose Response (or exception) answers. So
// no HTTP thread ever waits on the database.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "db/Connection.hpp"
#include "desk/Principal.hpp"
#include "domain/TimeFormat.hpp"
#include "http/Router.hpp"
#include "http/api/ApiContext.hpp"

namespace vg::http::api {

using desk::Role;
using desk::Roles;

// One REST request being served: the HTTP request, who sent it, the database connection its
// pool job holds, and the instant it is served at. (Not "call": in this product a call is the
// video call between a citizen and an agent.)
struct ApiRequest {
    ApiContext& ctx;
    const Request& http;
    const Params& params;
    db::Connection& db;
    desk::Principal principal;  // empty on public routes
    domain::Instant now_instant;
    std::string now;  // now_instant in RFC 3339, for SQL parameters

    // A path parameter that must be a UUID: anything else names nothing (404).
    std::string id(const std::string& name) const;
    // A write's audit event; call it inside the write's transaction.
    void audit(std::string_view action, std::string_view object_type, const std::string& object_id,
               const std::string& details_json = "{}");
    // A domain event for live-event subscribers; inside the write's transaction, so it is
    // notified only if the change commits.
    void event(std::string_view type, const std::optional<std::string>& site_id,
               const std::optional<std::string>& agent_id,
               const std::optional<std::string>& booth_id,
               const std::optional<std::string>& object_id);
};

using Body = std::function<Response(ApiRequest&)>;

inline constexpr Roles kPublic{};  // a route anyone may call (login, enrolment)

// Adds "METHOD /api/v1<path>"; roles: who may call it, or kPublic.
void serve(Router& router, ApiContext& ctx, const std::string& method, const std::string& path,
           Roles roles, Body body);

// A JSON answer.
Response json_response(int status, std::string body);

}  // namespace vg::http::api
