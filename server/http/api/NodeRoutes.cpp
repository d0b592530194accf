// The server nodes sharing the database, as their heartbeats left them (admins only).
#include <nlohmann/json.hpp>

#include "desk/NodeRegistry.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/Routes.hpp"

namespace vg::http::api {

namespace {

Response list(ApiRequest& request) {
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& node : desk::NodeRegistry::list(request.db)) {
        nodes.push_back({{"name", node.name},
                         {"public_url", node.public_url},
                         {"state", node.state},
                         {"last_seen_at", node.last_seen_at},
                         {"call_sessions", node.call_sessions},
                         {"participants", node.participants}});
    }
    auto response = json_response(200, nlohmann::json{{"nodes", nodes}}.dump());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

}  // namespace

void add_node_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "GET", "/nodes", Role::Admin, list);
}

}  // namespace vg::http::api
