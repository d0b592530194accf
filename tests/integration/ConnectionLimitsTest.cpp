// Limits per client (issue 14 item 7) on the real binary: one address cannot take every
// connection, one WebSocket client cannot flood, and /metrics counts both.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "integration/ServerProcess.hpp"
#include "support/HttpClient.hpp"
#include "support/TestDatabase.hpp"
#include "support/WebSocketClient.hpp"

namespace vg::test {
namespace {

using namespace std::chrono_literals;

// GET /healthz from the given loopback source address, on a socket of its own; the status, or 0
// when the server closed without answering.
int healthz_from(const std::string& source, std::uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    timeval timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    int status = 0;
    if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0 &&
        connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) == 0) {
        std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size())) {
            char buffer[64] = {};
            auto got = recv(fd, buffer, sizeof buffer - 1, 0);
            if (got > 12 && std::string(buffer, 9) == "HTTP/1.1 ") status = std::atoi(buffer + 9);
        }
    }
    close(fd);
    return status;
}

double metric(const ServerProcess& server, const std::string& series) {
    auto text = http_request("GET", "127.0.0.1", server.admin_port(), "/metrics").body;
    auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

TEST(ServerBinary, IdleConnectionsFromOneAddressDoNotKeepAnotherClientOut) {
    TestDatabase database;
    ServerProcess server(database.url(), {{"VISIOGUICHET_MAX_CONNECTIONS", "200"},
                                          {"VISIOGUICHET_MAX_CONNECTIONS_PER_ADDRESS", "50"}});
    // 300 connections from 127.0.0.1 that send nothing: more than the whole server's cap.
    std::vector<std::unique_ptr<TcpClient>> idle;
    for (int i = 0; i < 300; ++i)
        idle.push_back(std::make_unique<TcpClient>("127.0.0.1", server.http_port()));
    // The server has seen them all (the 250 beyond the address's share are closed at once).
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (metric(server, "vg_http_connections_refused_total{limit=\"per_address\"}") < 250 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    EXPECT_EQ(metric(server, "vg_http_connections_refused_total{limit=\"per_address\"}"), 250);
    EXPECT_EQ(metric(server, "vg_http_connections{protocol=\"http\"}"), 50);
    // Another client, from another address, is served at once.
    for (const char* other : {"127.0.0.2", "127.0.0.3"})
        EXPECT_EQ(healthz_from(other, server.http_port()), 200) << other;
    EXPECT_EQ(metric(server, "vg_http_connections_refused_total{limit=\"total\"}"), 0);
    // The address gets its share back as its connections close.
    idle.clear();
    deadline = std::chrono::steady_clock::now() + 10s;
    int status = 0;
    while ((status = healthz_from("127.0.0.1", server.http_port())) != 200 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    EXPECT_EQ(status, 200);
}

TEST(ServerBinary, AWebSocketFloodClosesOnlyThatClient) {
    TestDatabase database;
    ServerProcess server(database.url(), {{"VISIOGUICHET_WEBSOCKET_MESSAGES_PER_SECOND", "10"}});
    WebSocketClient calm("127.0.0.1", server.http_port(), "/api/v1/events");
    WebSocketClient flood("127.0.0.1", server.http_port(), "/api/v1/events");
    // Malformed hellos: each answered with an error while within the rate, none authenticates.
    for (int i = 0; i < 200; ++i) {
        try {
            flood.send_text(R"({"type":"nonsense"})");
        } catch (const std::exception&) {
            break;  // the server closed it already
        }
    }
    int close_code = 0;
    for (int i = 0; i < 300 && close_code == 0; ++i) {
        auto message = flood.receive();
        if (message.opcode == WebSocketClient::Close) close_code = message.close_code();
    }
    EXPECT_EQ(close_code, 1008);
    EXPECT_EQ(metric(server, "vg_websocket_rate_closed_total"), 1);
    // The calm client is still there: its malformed message gets its error answer.
    calm.send_text(R"({"type":"nonsense"})");
    auto answer = calm.receive();
    EXPECT_EQ(answer.opcode, WebSocketClient::Text);
    EXPECT_NE(answer.payload.find("\"error\""), std::string::npos) << answer.payload;
}

}  // namespace
}  // namespace vg::test
