#include <gtest/gtest.h>
#include <spdlog/details/log_msg.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/Log.hpp"
#include "common/LogJsonFormatter.hpp"

namespace vg::common::log {

TEST(Log, SameModuleGivesSameLogger) {
    EXPECT_EQ(get("test"), get("test"));
}

TEST(Log, ConfigureSetsLevelOfEveryLogger) {
    auto logger = get("level-test");
    configure("warn", Format::Text);
    EXPECT_EQ(logger->level(), spdlog::level::warn);
    configure("debug", Format::Json);
    EXPECT_EQ(get("made-after")->level(), spdlog::level::debug);
    configure("info", Format::Text);
}

TEST(Log, UnknownLevelIsRefused) {
    EXPECT_THROW(configure("loud", Format::Text), std::invalid_argument);
}

}  // namespace vg::common::log

namespace vg::common::log {
namespace {

// One record through the JSON formatter, as the sink would write it.
std::string json_line(const std::string& module, spdlog::level::level_enum level,
                      std::string_view message) {
    spdlog::details::log_msg msg(module, level,
                                 spdlog::string_view_t(message.data(), message.size()));
    spdlog::memory_buf_t out;
    JsonFormatter().format(msg, out);
    return std::string(out.data(), out.size());
}

}  // namespace

TEST(LogJson, HostileMessageStaysOneValueOnOneLine) {
    const std::string hostile =
        "GET /a\"b\\c\n{\"level\":\"error\",\"module\":\"forged\"}\r\t\x01 200";
    auto line = json_line("http", spdlog::level::info, hostile);
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1) << line;  // exactly one line
    auto parsed = nlohmann::json::parse(line);
    ASSERT_TRUE(parsed.is_object());
    EXPECT_EQ(parsed.size(), 4u) << line;  // no injected field
    EXPECT_EQ(parsed["message"], hostile);
    EXPECT_EQ(parsed["level"], "info");
    EXPECT_EQ(parsed["module"], "http");
    // RFC 3339 in UTC with microseconds.
    auto time = parsed["time"].get<std::string>();
    EXPECT_EQ(time.size(), 27u) << time;
    EXPECT_EQ(time.back(), 'Z');
    EXPECT_EQ(time[10], 'T');
}

TEST(LogJson, InvalidUtf8IsReplacedNotThrown) {
    const std::string bytes = "path \xff\xfe\xc3 end";
    std::string line;
    EXPECT_NO_THROW(line = json_line("http", spdlog::level::warn, bytes));
    auto parsed = nlohmann::json::parse(line);
    auto message = parsed["message"].get<std::string>();
    EXPECT_EQ(message.rfind("path ", 0), 0u);
    EXPECT_NE(message.find(" end"), std::string::npos);
    EXPECT_NE(message.find("\xef\xbf\xbd"), std::string::npos);  // U+FFFD
}

TEST(LogJson, ConfiguredLoggersWriteParseableLinesToStderr) {
    // What the process writes: stderr captured in a file while a module logs hostile text.
    char name[] = "/tmp/vg-logtest-XXXXXX";
    int file = mkstemp(name);
    ASSERT_GE(file, 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(file, 2);
    configure("info", Format::Json);
    auto logger = get("json-stderr-test");
    logger->info("GET {} 404", "/x\"\\\n\"injected\":1");
    logger->warn("second \r\n line");
    logger->flush();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    configure("info", Format::Text);

    std::ifstream in(name);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    close(file);
    std::remove(name);
    std::istringstream lines(text);
    int count = 0;
    for (std::string line; std::getline(lines, line);) {
        SCOPED_TRACE(line);
        auto parsed = nlohmann::json::parse(line);
        EXPECT_EQ(parsed.size(), 4u);
        EXPECT_EQ(parsed["module"], "json-stderr-test");
        ++count;
    }
    EXPECT_EQ(count, 2) << text;
}

}  // namespace vg::common::log
