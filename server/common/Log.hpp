#pragma once
// One named logger per module ("app", "db", "http", "signaling", "ice", "dtls", "srtp", "rtp",
// "rtcp", "sctp", "room"). Include this from .cpp files only: headers never pull in spdlog.
#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <string_view>

namespace vg::common::log {

enum class Format { Text, Json };

// Sets the level ("trace", "debug", "info", "warn", "error", "off") and format for every logger,
// also those made later. Throws std::invalid_argument for an unknown level.
void configure(std::string_view level, Format format);

// The logger of a module, made on first use; thread-safe.
std::shared_ptr<spdlog::logger> get(const std::string& module);

}  // namespace vg::common::log
