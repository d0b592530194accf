#include "http/api/Routes.hpp"

namespace vg::http::api {

void register_routes(Router& router, ApiContext& ctx) {
    add_auth_routes(router, ctx);
    add_site_routes(router, ctx);
    add_service_routes(router, ctx);
    add_agent_routes(router, ctx);
    add_appointment_routes(router, ctx);
    add_booth_routes(router, ctx);
    add_queue_routes(router, ctx);
    add_session_routes(router, ctx);
    add_stats_routes(router, ctx);
    add_message_routes(router, ctx);
    add_visit_routes(router, ctx);
    add_node_routes(router, ctx);
    add_citizen_routes(router, ctx);
    add_api_key_routes(router, ctx);
    add_hours_routes(router, ctx);
}

}  // namespace vg::http::api
