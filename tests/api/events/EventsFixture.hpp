#pragma once
// Live events end to end: the REST fixture's database, routes and clock, plus real HTTP servers
// on port 0 serving /api/v1/events from LiveEvents, each with its own pool ("server processes"
// sharing one database), and a WebSocket client that says hello.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "api/ApiFixture.hpp"
#include "db/Pool.hpp"
#include "desk/QueueTimers.hpp"
#include "http/Metrics.hpp"
#include "http/Server.hpp"
#include "signaling/events/LiveEvents.hpp"
#include "support/WebSocketClient.hpp"

namespace vg::test {

// One server process: its own pool, HTTP server, queue clock and LiveEvents.
struct EventsNode {
    std::unique_ptr<db::Pool> pool;
    std::shared_ptr<desk::QueueTimers> queue_clock;
    http::Metrics metrics;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<signaling::events::LiveEvents> events;
    void stop();
};

// A console or booth connected to /api/v1/events. Events of different subjects may be read in
// any order (each push carries the state read when it is sent), so next(type) keeps what it
// skips for later calls: tests wait for each kind of message on its own.
struct LiveClient {
    std::unique_ptr<WebSocketClient> ws;
    nlohmann::json hello;
    nlohmann::json snapshot;
    std::deque<nlohmann::json> skipped;
    nlohmann::json next();                         // the next message (skipped ones first)
    nlohmann::json next(const std::string& type);  // the next message of this type
    // The next message of this type whose field has this value.
    nlohmann::json next(const std::string& type, const std::string& field,
                        const nlohmann::json& value);
    // The close code of the connection, reading past any messages before it.
    std::uint16_t close_code();
};

class EventsTest : public ApiTest {
  protected:
    void SetUp() override;
    void TearDown() override;

    EventsNode& start_node();
    // The node's queue clock and live events (started), on its pool.
    void start_events(EventsNode& node, const signaling::events::LiveEventsOptions& options);
    // Connects to node, says hello and reads the hello and the snapshot (asserting their types).
    LiveClient connect(const std::string& token, EventsNode* node = nullptr);
    std::unique_ptr<WebSocketClient> open(EventsNode* node = nullptr);

    // Moves the fixture's clock, which the REST handlers and the queue timers read.
    void advance(std::chrono::seconds by);
    // Polls a SQL query's single value until it equals wanted (or a few seconds pass).
    bool eventually(const std::string& sql, const std::string& wanted);

    // A site with a walk-in service, and helpers over the REST routes.
    struct World {
        std::string site_id;
        std::string service_id;
    };
    World make_world(const std::string& code, const std::string& service_code);
    nlohmann::json walk_in(const std::string& booth_token, const std::string& service_id);
    // An available agent covering these sites; returns the token.
    std::string available_agent(const std::string& email, const nlohmann::json& site_ids,
                                const std::string& service_id,
                                const nlohmann::json& roles = {"agent"});

    boost::asio::io_context io_;
    std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    std::thread io_thread_;
    std::vector<std::unique_ptr<EventsNode>> nodes_;
    signaling::events::LiveEventsOptions options_;
    std::chrono::milliseconds tick_{100};  // the queue clock's beat
};

}  // namespace vg::test
