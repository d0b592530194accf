#pragma once
// The REST API of CONTRACT.md under /api/v1. ctx must outlive the router.
#include "http/Router.hpp"
#include "http/api/ApiContext.hpp"

namespace vg::http::api {

void register_routes(Router& router, ApiContext& ctx);

// The groups register_routes is made of, one file each.
void add_auth_routes(Router& router, ApiContext& ctx);
void add_site_routes(Router& router, ApiContext& ctx);
void add_service_routes(Router& router, ApiContext& ctx);
void add_agent_routes(Router& router, ApiContext& ctx);
void add_appointment_routes(Router& router, ApiContext& ctx);
void add_booth_routes(Router& router, ApiContext& ctx);
void add_queue_routes(Router& router, ApiContext& ctx);
void add_session_routes(Router& router, ApiContext& ctx);
void add_stats_routes(Router& router, ApiContext& ctx);
void add_message_routes(Router& router, ApiContext& ctx);
void add_visit_routes(Router& router, ApiContext& ctx);
void add_node_routes(Router& router, ApiContext& ctx);
void add_citizen_routes(Router& router, ApiContext& ctx);
void add_api_key_routes(Router& router, ApiContext& ctx);
void add_hours_routes(Router& router, ApiContext& ctx);

}  // namespace vg::http::api
