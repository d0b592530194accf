#include "app/Application.hpp"

#include <fmt/ranges.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <csignal>
#include <thread>

#include "app/AsioSchedule.hpp"
#include "app/CallQuality.hpp"
#include "app/CitizenMessages.hpp"
#include "app/Database.hpp"
#include "app/DatabaseWait.hpp"
#include "app/Drain.hpp"
#include "app/HealthRoutes.hpp"
#include "app/Listeners.hpp"
#include "app/MediaMetrics.hpp"
#include "app/NodeHeartbeat.hpp"
#include "app/ProcessMetrics.hpp"
#include "app/QueueMetrics.hpp"
#include "common/Log.hpp"
#include "db/Connection.hpp"
#include "db/MigrationRunner.hpp"
#include "db/Pool.hpp"
#include "desk/ApiKeys.hpp"
#include "desk/QueueTimers.hpp"
#include "desk/RetentionPurge.hpp"
#include "http/AllowedOrigins.hpp"
#include "http/Metrics.hpp"
#include "http/Router.hpp"
#include "http/api/ApiContext.hpp"
#include "http/api/Routes.hpp"
#include "signaling/CallSignaling.hpp"
#include "signaling/JoinTokenVerifier.hpp"
#include "signaling/MediaEngineAdapter.hpp"
#include "signaling/events/LiveEvents.hpp"

namespace vg::app {
namespace {

// Blocks SIGINT, SIGTERM and SIGHUP in this thread and every thread it starts later, so that only
// wait_for_stop_signal() receives them.
sigset_t block_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

int wait_for_stop_signal(const sigset_t& set) {
    int signal = 0;
    sigwait(&set, &signal);
    return signal;
}

// "http://host:port" -> "ws://host:port/rtc/v1" (https -> wss).
std::string signaling_url(const std::string& public_url) {
    if (public_url.rfind("https://", 0) == 0) return "wss://" + public_url.substr(8) + "/rtc/v1";
    return "ws://" + public_url.substr(std::string_view("http://").size()) + "/rtc/v1";
}

void add_pool_metrics(http::Metrics& metrics, db::Pool& pool) {
    metrics.add_gauge("vg_db_pool_size", "Configured database connections",
                      [&pool] { return static_cast<double>(pool.stats().size); });
    metrics.add_gauge("vg_db_pool_open", "Open database connections",
                      [&pool] { return static_cast<double>(pool.stats().open); });
    metrics.add_gauge("vg_db_pool_busy", "Database connections running a job",
                      [&pool] { return static_cast<double>(pool.stats().busy); });
    metrics.add_gauge("vg_db_pool_queued", "Database jobs waiting for a connection",
                      [&pool] { return static_cast<double>(pool.stats().queued); });
    metrics.add_counter("vg_db_jobs_completed_total", "Database jobs run",
                        [&pool] { return static_cast<double>(pool.stats().completed); });
    metrics.add_counter("vg_db_jobs_failed_total", "Database jobs that ended in an error",
                        [&pool] { return static_cast<double>(pool.stats().failed); });
}

}  // namespace

Application::Application(Config config) : config_(std::move(config)) {}

int Application::run() {
    auto log = common::log::get("app");
    auto signals = block_stop_signals();

    // Migrations first: servers starting together apply each one once (advisory lock).
    db::MigrationRunner migrations(config_.migrations_dir);
    std::string join_token_key;
    std::optional<messaging::VisitLink> visit_link;
    {
        auto first = DatabaseWait::connect(
            config_.database_url, std::chrono::seconds(config_.database_wait_seconds), signals);
        if (!first) return 0;
        db::Connection& connection = *first;
        for (const auto& file : migrations.apply(connection)) {
            log->info("migration applied: {}", file);
        }
        if (!config_.bootstrap_admin_key.empty()) {
            Database::ensure_bootstrap_admin_key(connection, config_.bootstrap_admin_key);
        }
        join_token_key = desk::load_join_token_key(connection);
        visit_link = messaging::VisitLink::load(connection);
    }

    // Control-plane timers (join and hello deadlines, the queue's housekeeping tick) on a thread
    // of their own.
    boost::asio::io_context timers;
    auto timers_work = boost::asio::make_work_guard(timers);  // runs until stopped
    std::thread timers_thread([&timers] { timers.run(); });
    // Also when a later step of the start throws (a port taken): the thread must not outlive us.
    struct Joiner {
        boost::asio::io_context& io;
        std::thread& thread;
        ~Joiner() {
            io.stop();
            thread.join();
        }
    } timers_joiner{timers, timers_thread};

    db::Pool pool(
        db::PoolOptions{config_.database_url, static_cast<std::size_t>(config_.db_pool_size)});
    http::Metrics metrics;
    metrics.set_build_info(VG_VERSION, "");
    add_pool_metrics(metrics, pool);
    ProcessMetrics process_metrics(metrics);
    QueueMetrics queue_metrics(metrics);

    // Health checks on a connection of their own: /readyz never waits behind user requests.
    db::Pool health_pool(db::PoolOptions{config_.database_url, 1});
    http::Router router;
    HealthRoutes::add(router, health_pool, migrations);
    http::Router admin_router;
    HealthRoutes::add_admin(admin_router, health_pool, migrations, metrics, queue_metrics);
    http::api::ApiContext api{pool};
    api.web.public_base_url = config_.public_url;
    api.web.signaling_url = signaling_url(config_.public_url);
    api.web.node_name = config_.node_name;
    api.options.offer_timeout = std::chrono::seconds(config_.offer_timeout_seconds);
    api.options.presence_grace = std::chrono::seconds(config_.presence_grace_seconds);
    api.options.wrap_up = std::chrono::seconds(config_.wrap_up_seconds);
    api.options.agent_session_idle = std::chrono::minutes(config_.agent_session_idle_minutes);
    api.options.check_in_opens_before = std::chrono::minutes(config_.checkin_before_minutes);
    api.options.check_in_closes_after = std::chrono::minutes(config_.checkin_after_minutes);
    api.options.turn_uris = config_.turn_uris;
    api.options.turn_secret = config_.turn_secret;
    api.options.turn_credential_ttl = std::chrono::seconds(config_.turn_credential_ttl_seconds);
    api.web.secure_cookie = config_.public_url.rfind("https://", 0) == 0;
    api.options.retention_citizen_days = config_.retention_citizen_days;
    api.options.retention_notes_days = config_.retention_notes_days;
    api.options.retention_audit_details_days = config_.retention_audit_details_days;
    api.options.retention_addresses_days = config_.retention_addresses_days;
    http::api::register_routes(router, api);

    signaling::MediaEngineAdapter media;
    media.set_quality_listener([&pool](const rtc::QualitySummary& summary) {
        desk::CallQualityRecorder::record(pool, call_quality(summary), summary.participant_id);
    });
    MediaMetrics media_metrics(metrics, media.engine());
    rtc::MediaEngine::Options media_options;
    media_options.bind_address = config_.rtc_addr.to_string();
    media_options.public_ip = config_.public_addr;
    media_options.workers = static_cast<unsigned>(config_.media_workers);
    media.engine().start(media_options);
    signaling::CallSignalingOptions call_options;
    call_options.node_name = config_.node_name;
    signaling::CallSignaling calls(media, signaling::make_join_token_verifier(join_token_key),
                                   make_asio_schedule(timers), call_options);
    NodeHeartbeat heartbeat(
        config_.database_url,
        {config_.node_name, config_.public_url, api.web.signaling_url,
         config_.public_addr.empty() ? config_.rtc_addr.host : config_.public_addr, VG_VERSION,
         std::chrono::seconds(config_.node_lost_seconds)},
        [&calls] {
            return desk::NodeLoad{static_cast<std::int64_t>(calls.call_count()),
                                  static_cast<std::int64_t>(calls.participant_count()), 0};
        },
        metrics);
    api.web.draining = [&heartbeat] { return heartbeat.draining(); };

    signaling::events::LiveEventsOptions events_options;
    events_options.conninfo = config_.database_url;
    // The queue's clock runs whether or not anyone is connected to live events.
    auto queue_clock = std::make_shared<desk::QueueTimers>(
        pool, api.options, api.clock, make_asio_schedule(timers), std::chrono::seconds(1));
    // Law 25's daily purge rides the same clock; one node a day runs it (RetentionPurge).
    queue_clock->add_hook(desk::RetentionPurge::hook(api.options));
    auto events = std::make_unique<signaling::events::LiveEvents>(
        pool, api.clock, *queue_clock, make_asio_schedule(timers), events_options);

    CitizenMessages citizen_messages(config_, *visit_link, api.clock, metrics);

    // A call session ended or its booth revoked, on any node: its participants here leave.
    events->on_call_ended([&calls](const std::string& session_id) {
        calls.end_session(session_id, "session_ended");
    });
    Listeners server(config_, router, admin_router, metrics);
    server.add_websocket("/rtc/v1", calls.factory());
    server.add_websocket("/api/v1/events", events->factory());
    // A page served by one node signals to the node hosting its call: every node's origin may.
    heartbeat.on_node_urls([origins = server.origins()](const std::vector<std::string>& urls) {
        origins->set_node_urls(urls);
    });
    server.start();
    heartbeat.start();  // placeable once it listens
    events->start();
    queue_clock->start();
    citizen_messages.start();
    log->info("media on {}", fmt::join(media.engine().worker_addresses(), ", "));

    int signal = wait_for_stop_signal(signals);
    for (; signal == SIGHUP; signal = wait_for_stop_signal(signals)) server.reload_tls();
    log->info("{} received: stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    if (signal == SIGTERM)
        Drain::run(calls, heartbeat, std::chrono::seconds(config_.drain_seconds), signals);
    calls.shutdown();  // participants hear bye "server_shutdown" before their connection closes
    server.stop(std::chrono::seconds(config_.shutdown_grace_seconds));
    events->shutdown();
    queue_clock->stop();
    citizen_messages.stop();
    media.engine().stop();
    heartbeat.stop();
    pool.stop();
    health_pool.stop();
    log->info("stopped");
    return 0;
}

}  // namespace vg::app
