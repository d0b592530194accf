#include "common/LogJsonFormatter.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

namespace vg::common::log {
namespace {

std::string utc_time(spdlog::log_clock::time_point when) {
    using namespace std::chrono;
    auto since_epoch = when.time_since_epoch();
    auto seconds = duration_cast<std::chrono::seconds>(since_epoch);
    auto micros = duration_cast<microseconds>(since_epoch - seconds).count();
    std::time_t t = seconds.count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[96];  // room for any int the compiler cannot rule out
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(micros));
    return buffer;
}

}  // namespace

void JsonFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
    auto level = spdlog::level::to_string_view(msg.level);
    nlohmann::json line = {
        {"time", utc_time(msg.time)},
        {"level", std::string(level.data(), level.size())},
        {"module", std::string(msg.logger_name.data(), msg.logger_name.size())},
        {"message", std::string(msg.payload.data(), msg.payload.size())},
    };
    // Invalid UTF-8 (bytes a client sent) becomes U+FFFD instead of an exception in the logger.
    auto text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text += '\n';
    dest.append(text.data(), text.data() + text.size());
}

std::unique_ptr<spdlog::formatter> JsonFormatter::clone() const {
    return std::make_unique<JsonFormatter>();
}

}  // namespace vg::common::log
