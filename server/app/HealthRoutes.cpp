#include "app/HealthRoutes.hpp"

#include <nlohmann/json.hpp>

#include "app/QueueMetrics.hpp"
#include "db/MigrationRunner.hpp"
#include "db/Pool.hpp"
#include "http/Metrics.hpp"
#include "http/Problem.hpp"
#include "http/Router.hpp"

namespace vg::app {

void HealthRoutes::add(http::Router& router, db::Pool& pool, const db::MigrationRunner& migrations,
                       Draining draining) {
    router.add("GET", "/healthz",
               [](const http::Request&, const http::Params&, http::Responder respond) {
                   respond(http::Response{200, "application/json", {}, R"({"status":"ok"})"});
               });

    router.add("GET", "/readyz",
               [&pool, &migrations, draining = std::move(draining)](
                   const http::Request&, const http::Params&, http::Responder respond) {
                   if (draining()) {
                       respond.fail(std::make_exception_ptr(
                           http::Problem(503, "not ready: this node is draining (stopping)")
                               .with_header("Retry-After", "5")));
                       return;
                   }
                   pool.submit(
                       [&migrations, respond](db::Connection& connection) {
                           connection.exec("SELECT 1");
                           auto status = migrations.status(connection);
                           if (!status.current) {
                               std::string detail = status.problem.empty()
                                                        ? std::to_string(status.pending.size()) +
                                                              " migration(s) pending"
                                                        : status.problem;
                               throw http::Problem(503, "not ready: " + detail)
                                   .with_header("Retry-After", "5");
                           }
                           nlohmann::json body = {{"status", "ready"},
                                                  {"migrations", status.applied.size()}};
                           respond(http::Response{200, "application/json", {}, body.dump()});
                       },
                       [respond](std::exception_ptr error) { respond.fail(error); });
               });
}

void HealthRoutes::add_admin(http::Router& router, db::Pool& pool,
                             const db::MigrationRunner& migrations, Draining draining,
                             http::Metrics& metrics, QueueMetrics& queues) {
    add(router, pool, migrations, std::move(draining));
    router.add("GET", "/metrics",
               [&pool, &metrics, &queues](const http::Request&, const http::Params&,
                                          http::Responder respond) {
                   auto render = [&metrics, respond] {
                       respond(http::Response{
                           200, std::string(http::Metrics::content_type), {}, metrics.render()});
                   };
                   // Without the database the rest of the figures still matter most.
                   pool.submit(
                       [&queues, render](db::Connection& connection) {
                           queues.refresh(connection);
                           render();
                       },
                       [render](std::exception_ptr) { render(); });
               });
}

}  // namespace vg::app
