#pragma once
// GET /healthz (the process answers), GET /readyz (the database answers and its migrations are
// current), GET /metrics (Prometheus text).
namespace vg::db {
class MigrationRunner;
class Pool;
}  // namespace vg::db
namespace vg::http {
class Metrics;
class Router;
}  // namespace vg::http

namespace vg::app {

class HealthRoutes {
  public:
    // Everything given must outlive the router.
    static void add(http::Router& router, db::Pool& pool, const db::MigrationRunner& migrations,
                    http::Metrics& metrics);
};

}  // namespace vg::app
