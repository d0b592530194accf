#include "common/Log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <stdexcept>

#include "common/LogJsonFormatter.hpp"

namespace vg::common::log {
namespace {

std::mutex mutex;
spdlog::level::level_enum current_level = spdlog::level::info;
Format current_format = Format::Text;

void apply(spdlog::logger& logger) {
    logger.set_level(current_level);
    if (current_format == Format::Json) {
        logger.set_formatter(std::make_unique<JsonFormatter>());
    } else {
        logger.set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v");
    }
}

}  // namespace

void configure(std::string_view level, Format format) {
    auto parsed = spdlog::level::from_str(std::string(level));
    if (parsed == spdlog::level::off && level != "off") {
        throw std::invalid_argument("unknown log level '" + std::string(level) +
                                    "' (trace, debug, info, warn, error, off)");
    }
    std::lock_guard lock(mutex);
    current_level = parsed;
    current_format = format;
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { apply(*l); });
}

std::shared_ptr<spdlog::logger> get(const std::string& module) {
    std::lock_guard lock(mutex);
    if (auto existing = spdlog::get(module)) return existing;
    auto logger = spdlog::stderr_logger_mt(module);
    apply(*logger);
    return logger;
}

}  // namespace vg::common::log
