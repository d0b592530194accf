#include "api/events/EventsFixture.hpp"

#include "app/AsioSchedule.hpp"

namespace vg::test {

using nlohmann::json;

void EventsNode::stop() {
    if (server) server->stop(std::chrono::milliseconds(500));
    if (events) events->shutdown();
    events.reset();
    if (queue_clock) queue_clock->stop();
    queue_clock.reset();
    server.reset();
    pool.reset();
}

json LiveClient::next() {
    if (!skipped.empty()) {
        auto message = std::move(skipped.front());
        skipped.pop_front();
        return message;
    }
    auto text = ws->receive_text();
    auto message = json::parse(text, nullptr, false);
    EXPECT_FALSE(message.is_discarded()) << text;
    return message;
}

json LiveClient::next(const std::string& type) {
    for (auto it = skipped.begin(); it != skipped.end(); ++it) {
        if (it->value("type", "") != type) continue;
        auto message = std::move(*it);
        skipped.erase(it);
        return message;
    }
    for (int i = 0; i < 200; ++i) {
        auto text = ws->receive_text();
        auto message = json::parse(text, nullptr, false);
        EXPECT_FALSE(message.is_discarded()) << text;
        if (message.value("type", "") == type) return message;
        skipped.push_back(std::move(message));
    }
    ADD_FAILURE() << "no " << type << " message";
    return nullptr;
}

json LiveClient::next(const std::string& type, const std::string& field, const json& value) {
    for (int i = 0; i < 50; ++i) {
        auto message = next(type);
        if (message.is_null() || message.value(field, json()) == value) return message;
    }
    ADD_FAILURE() << "no " << type << " with " << field << " " << value.dump();
    return nullptr;
}

std::uint16_t LiveClient::close_code() {
    for (int i = 0; i < 50; ++i) {
        auto message = ws->receive();
        if (message.opcode == WebSocketClient::Close) return message.close_code();
    }
    return 0;
}

void EventsTest::SetUp() {
    ApiTest::SetUp();
    work_ =
        std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
            io_.get_executor());
    io_thread_ = std::thread([this] { io_.run(); });
    options_.conninfo = database_->url();
    options_.hello_timeout = std::chrono::milliseconds(1000);
    start_node();
}

void EventsTest::TearDown() {
    for (auto& node : nodes_) node->stop();
    nodes_.clear();
    work_.reset();
    io_.stop();
    if (io_thread_.joinable()) io_thread_.join();
    ApiTest::TearDown();
}

EventsNode& EventsTest::start_node() {
    auto node = std::make_unique<EventsNode>();
    node->pool = std::make_unique<db::Pool>(db::PoolOptions{database_->url(), 2});
    http::ServerOptions server_options;
    server_options.port = 0;
    server_options.threads = 2;
    node->server = std::make_unique<http::Server>(server_options, router_, node->metrics);
    start_events(*node, options_);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!node->events->listening() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(node->events->listening());
    nodes_.push_back(std::move(node));
    return *nodes_.back();
}

void EventsTest::start_events(EventsNode& node,
                              const signaling::events::LiveEventsOptions& options) {
    node.queue_clock = std::make_shared<desk::QueueTimers>(*node.pool, ctx_->options, ctx_->clock,
                                                           app::make_asio_schedule(io_), tick_);
    node.events = std::make_unique<signaling::events::LiveEvents>(
        *node.pool, ctx_->clock, *node.queue_clock, app::make_asio_schedule(io_), options);
    node.server->add_websocket("/api/v1/events", node.events->factory());
    node.server->start();
    node.events->start();
    node.queue_clock->start();
}

std::unique_ptr<WebSocketClient> EventsTest::open(EventsNode* node) {
    if (node == nullptr) node = nodes_.front().get();
    return std::make_unique<WebSocketClient>("127.0.0.1", node->server->port(), "/api/v1/events");
}

LiveClient EventsTest::connect(const std::string& token, EventsNode* node) {
    LiveClient client;
    client.ws = open(node);
    client.ws->send_text(json{{"type", "hello"}, {"token", token}}.dump());
    client.hello = client.next();
    EXPECT_EQ(client.hello.value("type", ""), "hello") << client.hello.dump();
    client.snapshot = client.next();
    EXPECT_EQ(client.snapshot.value("type", ""), "snapshot") << client.snapshot.dump();
    return client;
}

void EventsTest::advance(std::chrono::seconds by) {
    now_us_ += std::chrono::duration_cast<std::chrono::microseconds>(by).count();
}

bool EventsTest::eventually(const std::string& sql, const std::string& wanted) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::string value;
    while (std::chrono::steady_clock::now() < deadline) {
        auto rows = this->sql().exec(sql);
        value = rows.rows() > 0 ? std::string(rows.get(0, 0)) : "<no row>";
        if (value == wanted) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << sql << " is " << value << ", not " << wanted;
    return false;
}

EventsTest::World EventsTest::make_world(const std::string& code, const std::string& service_code) {
    World world;
    world.site_id = make_site(code)["id"].get<std::string>();
    world.service_id = make_service(service_code, 20, true)["id"].get<std::string>();
    return world;
}

json EventsTest::walk_in(const std::string& booth_token, const std::string& service_id) {
    auto r = call("POST", "/api/v1/booth/walk-in", booth_token,
                  json{{"service_id", service_id}, {"language", "fr"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
}

std::string EventsTest::available_agent(const std::string& email, const json& site_ids,
                                        const std::string& service_id, const json& roles) {
    make_agent(email, roles, site_ids, json::array({service_id}));
    auto token = login(email);
    auto r = call("PUT", "/api/v1/agents/me/presence", token, json{{"state", "available"}});
    EXPECT_EQ(r.status, 200) << r.raw;
    return token;
}

}  // namespace vg::test
