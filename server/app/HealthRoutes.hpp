#pragma once
// GET /healthz (the process answers) and GET /readyz (the node is not draining, the database
// answers and its migrations are current) on both listeners; GET /metrics (Prometheus text) on
// the admin listener only.
#include <functional>

namespace vg::db {
class MigrationRunner;
class Pool;
}  // namespace vg::db
namespace vg::http {
class Metrics;
class Router;
}  // namespace vg::http

namespace vg::app {

class QueueMetrics;

class HealthRoutes {
  public:
    // True from SIGTERM on: a load balancer stops sending requests to a node that is leaving.
    using Draining = std::function<bool()>;
    // Everything given must outlive the router.
    static void add(
        http::Router& router, db::Pool& pool, const db::MigrationRunner& migrations,
        Draining draining = [] { return false; });
    // add() and /metrics, whose queue lengths are counted again at each scrape.
    static void add_admin(http::Router& router, db::Pool& pool,
                          const db::MigrationRunner& migrations, Draining draining,
                          http::Metrics& metrics, QueueMetrics& queues);
};

}  // namespace vg::app
