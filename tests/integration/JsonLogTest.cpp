// The server's JSON log as a log shipper reads it: every line one JSON object, whatever a client
// puts in its request.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "integration/ServerProcess.hpp"
#include "support/HttpClient.hpp"
#include "support/TestDatabase.hpp"

namespace vg::test {
namespace {

TEST(ServerBinary, EveryJsonLogLineParsesWithAHostileRequestPath) {
    TestDatabase database;
    ServerProcess server(database.url(), {{"VISIOGUICHET_LOG_FORMAT", "json"}});
    // Quotes, backslashes, braces and encoded line breaks in the path; raw bytes above 0x7f.
    const std::string hostile =
        "/api/v1/x\"y\\z\",\"level\":\"error\"}%0A%0D{\"forged\":1}/\xc3\x28";
    for (int i = 0; i < 3; ++i) {
        TcpClient client("127.0.0.1", server.http_port());
        client.send("GET " + hostile + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        client.receive_until_close();
    }
    // A path with a raw line feed is a malformed request: the answer and its log line too.
    {
        TcpClient client("127.0.0.1", server.http_port());
        client.send("GET /a\"\nb HTTP/1.1\r\nHost: x\r\n\r\n");
        client.receive_until_close();
    }
    EXPECT_EQ(http_request("GET", "127.0.0.1", server.http_port(), "/healthz").status, 200);

    auto output = server.output();
    std::istringstream lines(output);
    int parsed_lines = 0;
    int hostile_lines = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        nlohmann::json record;
        ASSERT_NO_THROW(record = nlohmann::json::parse(line)) << "not JSON: " << line;
        ASSERT_TRUE(record.is_object()) << line;
        EXPECT_EQ(record.size(), 4u) << line;  // time, level, module, message: nothing injected
        EXPECT_FALSE(record.contains("forged")) << line;
        ++parsed_lines;
        auto message = record["message"].get<std::string>();
        if (message.find("/api/v1/x\"y\\z\"") != std::string::npos) {
            ++hostile_lines;
            EXPECT_EQ(record["level"], "info") << line;
            EXPECT_EQ(record["module"], "http") << line;
        }
    }
    EXPECT_GT(parsed_lines, 3) << output;
    EXPECT_EQ(hostile_lines, 3) << output;
}

}  // namespace
}  // namespace vg::test
