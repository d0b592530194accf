#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "db/Connection.hpp"
#include "http/Problem.hpp"
#include "http/Server.hpp"
#include "support/HttpClient.hpp"
#include "support/WebSocketClient.hpp"

namespace vg::http {
namespace {

using namespace std::chrono_literals;
using test::HttpResponse;
using test::TcpClient;

constexpr const char* kHost = "127.0.0.1";

Response json(int status, const nlohmann::json& body) {
    return Response{status, "application/json", {}, body.dump()};
}

class ServerTest : public ::testing::Test {
  protected:
    void start(ServerOptions options = {}) {
        options.address = kHost;
        options.port = 0;
        server_ = std::make_unique<Server>(options, router_, metrics_);
        for (auto& [path, factory] : websockets_) server_->add_websocket(path, factory);
        server_->start();
        port_ = server_->port();
        ASSERT_NE(port_, 0);
    }
    void TearDown() override {
        if (server_) server_->stop(1s);
    }
    HttpResponse get(const std::string& path, const test::HttpHeaders& headers = {}) {
        return test::http_request("GET", kHost, port_, path, headers);
    }
    void expect_problem(const HttpResponse& response, int status) {
        EXPECT_EQ(response.status, status);
        EXPECT_EQ(response.header("Content-Type"), "application/problem+json");
        auto body = nlohmann::json::parse(response.body);
        EXPECT_EQ(body["status"], status);
        EXPECT_TRUE(body.contains("title"));
        EXPECT_TRUE(body.contains("type"));
        EXPECT_TRUE(body.contains("detail"));
    }

    Router router_;
    Metrics metrics_;
    std::vector<std::pair<std::string, WebSocketFactory>> websockets_;
    std::unique_ptr<Server> server_;
    std::uint16_t port_ = 0;
};

TEST_F(ServerTest, RoutesWithParametersQueryAndRequestId) {
    router_.add("GET", "/api/v1/sites/{id}/slots",
                [](const Request& request, const Params& params, Responder respond) {
                    respond(json(200, {{"site", params.at("id")},
                                       {"date", request.query_param("date").value_or("")},
                                       {"request_id", request.request_id}}));
                });
    start();
    auto response = get("/api/v1/sites/s%201/slots?date=2026-12-01", {{"X-Request-Id", "abc-123"}});
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(response.header("Content-Type"), "application/json");
    auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["site"], "s 1");
    EXPECT_EQ(body["date"], "2026-12-01");
    EXPECT_EQ(body["request_id"], "abc-123");
    EXPECT_EQ(response.header("X-Request-Id"), "abc-123");
    EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(response.header("Referrer-Policy"), "no-referrer");
    EXPECT_NE(response.header("Content-Security-Policy").find("default-src 'self'"),
              std::string::npos);

    // A request id that could forge log lines is replaced by one made here.
    auto generated = get("/api/v1/sites/x/slots", {{"X-Request-Id", "bad id\twith tab"}});
    EXPECT_EQ(generated.header("X-Request-Id").size(), 16u);
}

TEST_F(ServerTest, UnknownRouteIs404ProblemJson) {
    start();
    auto response = get("/api/v1/nowhere");
    expect_problem(response, 404);
    EXPECT_FALSE(response.header("X-Request-Id").empty());
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
    router_.add("GET", "/api/v1/services",
                [](const Request&, const Params&, Responder r) { r(json(200, {})); });
    router_.add("POST", "/api/v1/services",
                [](const Request&, const Params&, Responder r) { r(json(201, {})); });
    start();
    auto response = test::http_request("DELETE", kHost, port_, "/api/v1/services");
    expect_problem(response, 405);
    EXPECT_EQ(response.header("Allow"), "GET, POST");
}

TEST_F(ServerTest, HandlerErrorsBecomeProblems) {
    router_.add("POST", "/conflict", [](const Request&, const Params&, Responder) {
        throw db::Error("23P01", "conflicting key value violates exclusion constraint");
    });
    router_.add("POST", "/invalid", [](const Request&, const Params&, Responder) {
        throw Problem(422, "bad field", {{"starts_at", "not a slot start"}});
    });
    router_.add("POST", "/unavailable", [](const Request&, const Params&, Responder respond) {
        std::thread([respond] {
            respond.fail(std::make_exception_ptr(db::Unavailable("connection refused")));
        }).detach();
    });
    router_.add("POST", "/bug", [](const Request&, const Params&, Responder) {
        throw std::runtime_error("secret internals");
    });
    router_.add("POST", "/split", [](const Request&, const Params&, Responder respond) {
        respond(Response{201, "application/json", {{"Location", "/x\r\nSet-Cookie: a=b"}}, "{}"});
    });
    router_.add("POST", "/forgotten", [](const Request&, const Params&, Responder respond) {
        std::thread([dropped = std::move(respond)] {}).detach();
    });
    router_.add("POST", "/json", [](const Request& request, const Params&, Responder respond) {
        respond(json(200, nlohmann::json::parse(request.body)));
    });
    start();
    expect_problem(test::http_request("POST", kHost, port_, "/conflict", {}, "{}"), 409);
    auto invalid = test::http_request("POST", kHost, port_, "/invalid", {}, "{}");
    expect_problem(invalid, 422);
    EXPECT_EQ(nlohmann::json::parse(invalid.body)["errors"][0]["field"], "starts_at");
    auto unavailable = test::http_request("POST", kHost, port_, "/unavailable", {}, "{}");
    expect_problem(unavailable, 503);
    EXPECT_EQ(unavailable.header("Retry-After"), "2");
    auto bug = test::http_request("POST", kHost, port_, "/bug", {}, "{}");
    expect_problem(bug, 500);
    EXPECT_EQ(bug.body.find("secret"), std::string::npos);
    expect_problem(test::http_request("POST", kHost, port_, "/forgotten", {}, "{}"), 500);
    auto split = test::http_request("POST", kHost, port_, "/split", {}, "{}");
    EXPECT_EQ(split.status, 201);
    EXPECT_FALSE(split.has_header("Set-Cookie"));
    EXPECT_FALSE(split.has_header("Location"));
    expect_problem(test::http_request("POST", kHost, port_, "/json", {}, "{\"a\":"), 400);
    EXPECT_EQ(test::http_request("POST", kHost, port_, "/json", {}, "{\"a\":1}").body, "{\"a\":1}");
}

TEST_F(ServerTest, OversizedBodyIs413) {
    router_.add("POST", "/upload",
                [](const Request&, const Params&, Responder r) { r(json(200, {})); });
    ServerOptions options;
    options.body_limit = 1024;
    start(options);
    EXPECT_EQ(
        test::http_request("POST", kHost, port_, "/upload", {}, std::string(1024, 'a')).status,
        200);
    // The whole body is sent before the answer is read, as simple clients do.
    auto response =
        test::http_request("POST", kHost, port_, "/upload", {}, std::string(300000, 'a'));
    expect_problem(response, 413);
}

TEST_F(ServerTest, ExpectContinueIsAnsweredBeforeTheBody) {
    router_.add("POST", "/upload", [](const Request& request, const Params&, Responder r) {
        r(json(200, {{"size", request.body.size()}}));
    });
    ServerOptions options;
    options.body_limit = 1024;
    start(options);
    TcpClient client(kHost, port_);
    client.send(
        "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        "Expect: 100-continue\r\n\r\n");
    EXPECT_EQ(client.receive_some().rfind("HTTP/1.1 100 Continue\r\n\r\n", 0), 0u);
    client.send("hello");
    auto response = client.read_response();
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(nlohmann::json::parse(response.body)["size"], 5);

    // Too large: refused on the headers alone, the body need not be sent.
    TcpClient big(kHost, port_);
    big.send(
        "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n"
        "Expect: 100-continue\r\n\r\n");
    expect_problem(big.read_response(), 413);
}

TEST_F(ServerTest, OversizedHeadersAre431) {
    start();
    auto response = get("/", {{"X-Padding", std::string(9000, 'h')}});
    expect_problem(response, 431);
}

TEST_F(ServerTest, MalformedRequestIs400) {
    start();
    TcpClient client(kHost, port_);
    client.send("NOT HTTP AT ALL\r\n\r\n");
    expect_problem(client.read_response(), 400);
    EXPECT_TRUE(client.closed_within(2s));
}

TEST_F(ServerTest, SlowClientIsCutOffAfterReadTimeout) {
    ServerOptions options;
    options.read_timeout = 300ms;
    start(options);
    TcpClient client(kHost, port_);
    const auto sent = std::chrono::steady_clock::now();
    client.send("GET /api/v1/sites HTTP/1.1\r\nHost: x\r\n");  // never finished
    auto response = client.read_response();
    const auto waited = std::chrono::steady_clock::now() - sent;
    expect_problem(response, 408);
    EXPECT_GE(waited, 250ms);
    EXPECT_LT(waited, 3s);
    EXPECT_TRUE(client.closed_within(2s));
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnectionThenIdleCloses) {
    std::atomic<int> calls{0};
    router_.add("GET", "/healthz", [&](const Request&, const Params&, Responder r) {
        r(json(200, {{"call", ++calls}}));
    });
    ServerOptions options;
    options.idle_timeout = 300ms;
    start(options);
    TcpClient client(kHost, port_);
    auto first = client.request("GET", "/healthz");
    auto second = client.request("GET", "/healthz");
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(second.status, 200);
    EXPECT_EQ(nlohmann::json::parse(second.body)["call"], 2);
    EXPECT_NE(first.header("X-Request-Id"), second.header("X-Request-Id"));
    EXPECT_TRUE(client.closed_within(3s));
}

TEST_F(ServerTest, MetricsCountRequestsByRoutePattern) {
    router_.add("GET", "/api/v1/sites/{id}",
                [](const Request&, const Params&, Responder r) { r(json(200, {})); });
    start();
    get("/api/v1/sites/4f1c-secret-id");
    get("/api/v1/sites/other");
    get("/not/a/route");
    auto text = metrics_.render();
    EXPECT_NE(text.find("vg_http_requests_total{method=\"GET\",route=\"/api/v1/sites/{id}\","
                        "status=\"200\"} 2"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("route=\"unmatched\",status=\"404\"} 1"), std::string::npos);
    EXPECT_EQ(text.find("4f1c-secret-id"), std::string::npos);
}

TEST_F(ServerTest, GracefulStopFinishesRequestInFlightAndRefusesNewConnections) {
    std::promise<void> handler_started;
    std::thread answering;
    router_.add("GET", "/slow", [&](const Request&, const Params&, Responder respond) {
        answering = std::thread([respond] {
            std::this_thread::sleep_for(300ms);
            respond(json(200, {{"done", true}}));
        });
        handler_started.set_value();
    });
    router_.add("GET", "/healthz",
                [](const Request&, const Params&, Responder r) { r(json(200, {})); });
    start();
    TcpClient idle(kHost, port_);
    ASSERT_EQ(idle.request("GET", "/healthz").status, 200);
    auto client = std::make_unique<TcpClient>(kHost, port_);
    client->send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    handler_started.get_future().wait();

    const auto stop_began = std::chrono::steady_clock::now();
    auto stopping = std::async(std::launch::async, [&] { server_->stop(5s); });
    bool refused = false;
    // Bounds far above the expected milliseconds: this runs on loaded two-core machines.
    for (int i = 0; i < 400 && !refused; ++i) {
        refused = !test::can_connect(kHost, port_);
        if (!refused) std::this_thread::sleep_for(5ms);
    }
    EXPECT_TRUE(refused) << "new connections were still accepted while stopping";
    EXPECT_TRUE(idle.closed_within(2s)) << "an idle keep-alive connection was left open";

    auto response = client->read_response();
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(nlohmann::json::parse(response.body)["done"], true);
    EXPECT_EQ(response.header("Connection"), "close");
    client.reset();  // as a client told "Connection: close" does
    ASSERT_EQ(stopping.wait_for(3s), std::future_status::ready);
    // Done when the last request is: well before the 5 s grace.
    EXPECT_LT(std::chrono::steady_clock::now() - stop_began, 4s);
    answering.join();
}

class EchoPeer : public WebSocketPeer {
  public:
    EchoPeer(std::shared_ptr<WebSocketConnection> connection, std::atomic<int>& closes)
        : connection_(std::move(connection)), closes_(closes) {}
    void on_message(std::string text) override {
        if (text == "bye") return connection_->close(4000, "bye");
        connection_->send("echo: " + text);
    }
    void on_close() override {
        ++closes_;
        connection_.reset();
    }

  private:
    std::shared_ptr<WebSocketConnection> connection_;
    std::atomic<int>& closes_;
};

TEST_F(ServerTest, WebSocketEchoAndCloseCodes) {
    std::atomic<int> closes{0};
    std::string upgrade_token;
    websockets_.emplace_back(
        "/echo", [&](std::shared_ptr<WebSocketConnection> connection, const Request& request) {
            upgrade_token = request.bearer_token();
            return std::make_shared<EchoPeer>(std::move(connection), closes);
        });
    ServerOptions options;
    options.websocket_message_limit = 1024;
    start(options);

    test::WebSocketClient client(kHost, port_, "/echo", {{"Authorization", "Bearer t0k"}});
    client.send_text("hello");
    EXPECT_EQ(client.receive_text(), "echo: hello");
    client.send_text("bye");
    auto closing = client.receive();
    EXPECT_EQ(closing.opcode, test::WebSocketClient::Close);
    EXPECT_EQ(closing.close_code(), 4000);
    client.close(4000);
    client.tcp().shutdown_send();
    EXPECT_EQ(upgrade_token, "t0k");

    test::WebSocketClient too_big(kHost, port_, "/echo");
    too_big.send_text(std::string(2000, 'x'));
    EXPECT_EQ(too_big.receive().close_code(), 1009);
    too_big.close(1009);
    too_big.tcp().shutdown_send();

    test::WebSocketClient open(kHost, port_, "/echo");
    open.send_text("still here");
    EXPECT_EQ(open.receive_text(), "echo: still here");
    auto stopping = std::async(std::launch::async, [&] { server_->stop(5s); });
    auto going_away = open.receive();
    EXPECT_EQ(going_away.opcode, test::WebSocketClient::Close);
    EXPECT_EQ(going_away.close_code(), 1001);
    open.close(1001);
    open.tcp().shutdown_send();
    const auto stop_began = std::chrono::steady_clock::now();
    // Once every client answered the close, stop returns without using up its 5 s grace.
    ASSERT_EQ(stopping.wait_for(4s), std::future_status::ready);
    EXPECT_LT(std::chrono::steady_clock::now() - stop_began, 3s);
    EXPECT_EQ(closes, 3);
}

// Sends a burst far beyond the write-queue bound at once: the connection is closed with 1008
// instead of buffering without limit.
class FloodPeer : public WebSocketPeer {
  public:
    explicit FloodPeer(std::shared_ptr<WebSocketConnection> connection)
        : connection_(std::move(connection)) {}
    void on_message(std::string) override {
        for (int i = 0; i < 100; ++i) connection_->send(std::string(1000, 'f'));
    }
    void on_close() override { connection_.reset(); }

  private:
    std::shared_ptr<WebSocketConnection> connection_;
};

TEST_F(ServerTest, WebSocketWriteQueueIsBounded) {
    websockets_.emplace_back("/flood",
                             [](std::shared_ptr<WebSocketConnection> connection, const Request&) {
                                 return std::make_shared<FloodPeer>(std::move(connection));
                             });
    ServerOptions options;
    options.websocket_write_queue = 4;
    start(options);
    test::WebSocketClient client(kHost, port_, "/flood");
    client.send_text("go");
    int received = 0;
    for (;;) {
        auto message = client.receive();
        if (message.opcode == test::WebSocketClient::Close) {
            EXPECT_EQ(message.close_code(), 1008);
            break;
        }
        ++received;
    }
    EXPECT_LE(received, 4);
}

TEST_F(ServerTest, WebSocketsRefusePagesOfOtherSites) {
    std::atomic<int> closes{0};
    websockets_.emplace_back("/echo",
                             [&](std::shared_ptr<WebSocketConnection> connection, const Request&) {
                                 return std::make_shared<EchoPeer>(std::move(connection), closes);
                             });
    ServerOptions options;
    options.allowed_origins = {"https://node2.example.org"};
    start(options);
    const std::string own = "http://127.0.0.1:" + std::to_string(port_);
    // The page's own origin, a configured one (another node), and no Origin (not a browser).
    for (const auto& headers :
         {test::HttpHeaders{{"Origin", own}},
          test::HttpHeaders{{"Origin", "https://NODE2.example.org"}}, test::HttpHeaders{}}) {
        test::WebSocketClient client(kHost, port_, "/echo", headers);
        client.send_text("hi");
        EXPECT_EQ(client.receive_text(), "echo: hi");
    }
    // A page of another site (cross-site WebSocket hijacking with the browser's cookie): 403,
    // and no endpoint ever sees the connection.
    for (const std::string origin : {"https://evil.example", "https://node2.example.org.evil",
                                     "http://node2.example.org", "null"}) {
        TcpClient raw(kHost, port_);
        auto refused = raw.request("GET", "/echo",
                                   {{"Upgrade", "websocket"},
                                    {"Connection", "Upgrade"},
                                    {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                    {"Sec-WebSocket-Version", "13"},
                                    {"Origin", origin}});
        expect_problem(refused, 403);
    }
    server_->stop(1s);
    EXPECT_EQ(closes, 3);
}

// Another node's page signals here when this node hosts its call: the nodes table (through the
// heartbeat) allows every node's origin, with nothing configured.
TEST_F(ServerTest, WebSocketsAcceptPagesOfEveryNodeOnceTheNodesAreListed) {
    std::atomic<int> closes{0};
    websockets_.emplace_back("/echo",
                             [&](std::shared_ptr<WebSocketConnection> connection, const Request&) {
                                 return std::make_shared<EchoPeer>(std::move(connection), closes);
                             });
    start(ServerOptions{});
    const auto upgrade = [&](const std::string& origin) {
        TcpClient raw(kHost, port_);
        return raw.request("GET", "/echo",
                           {{"Upgrade", "websocket"},
                            {"Connection", "Upgrade"},
                            {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                            {"Sec-WebSocket-Version", "13"},
                            {"Origin", origin}});
    };
    expect_problem(upgrade("https://node2.example.org"), 403);
    server_->origins()->set_node_urls({"https://node2.example.org/"});
    test::WebSocketClient client(kHost, port_, "/echo", {{"Origin", "https://node2.example.org"}});
    client.send_text("hi");
    EXPECT_EQ(client.receive_text(), "echo: hi");
    expect_problem(upgrade("https://node3.example.org"), 403);
    EXPECT_NE(get("/").header("Content-Security-Policy").find("wss://node2.example.org"),
              std::string::npos);
    server_->stop(1s);  // before closes goes out of scope: the peer counts its close there
    EXPECT_EQ(closes, 1);
}

TEST_F(ServerTest, PoliciesLimitWhatPagesMayDo) {
    router_.add("GET", "/api/thing",
                [](const Request&, const Params&, Responder respond) { respond(json(200, {})); });
    ServerOptions options;
    options.allowed_origins = {"https://node2.example.org"};
    start(options);
    auto answer = get("/api/thing");
    // Scripts talk to this origin (its ws: and wss: included) and the configured ones only,
    // the WebSockets of those too (another node's signaling), never any host's ws:.
    EXPECT_NE(answer.header("Content-Security-Policy")
                  .find("connect-src 'self' https://node2.example.org wss://node2.example.org;"),
              std::string::npos)
        << answer.header("Content-Security-Policy");
    EXPECT_EQ(answer.header("Content-Security-Policy").find("ws:"), std::string::npos);
    EXPECT_NE(answer.header("Permissions-Policy").find("camera=()"), std::string::npos);
    EXPECT_NE(answer.header("Permissions-Policy").find("microphone=()"), std::string::npos);
    // Over plain HTTP no Strict-Transport-Security: browsers would ignore it.
    EXPECT_FALSE(answer.has_header("Strict-Transport-Security"));
}

TEST_F(ServerTest, WebSocketPathWithoutUpgradeIsNotFound) {
    websockets_.emplace_back("/echo", [](std::shared_ptr<WebSocketConnection>, const Request&) {
        return std::shared_ptr<WebSocketPeer>();
    });
    start();
    expect_problem(get("/echo"), 404);
}

TEST_F(ServerTest, ConnectionsBeyondTheLimitAreClosed) {
    router_.add("GET", "/healthz",
                [](const Request&, const Params&, Responder r) { r(json(200, {})); });
    ServerOptions options;
    options.max_connections = 1;
    start(options);
    TcpClient first(kHost, port_);
    ASSERT_EQ(first.request("GET", "/healthz").status, 200);
    TcpClient second(kHost, port_);
    EXPECT_TRUE(second.closed_within(1s));
    EXPECT_EQ(first.request("GET", "/healthz").status, 200);
}

TEST_F(ServerTest, StartFailsClearlyWhenTheAddressIsTaken) {
    start();
    ServerOptions options;
    options.address = kHost;
    options.port = port_;
    Server second(options, router_, metrics_);
    try {
        second.start();
        FAIL() << "a second server listened on the same port";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(port_)),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace vg::http
