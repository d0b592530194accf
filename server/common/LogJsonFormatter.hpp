#pragma once
// The JSON log format: one object per line, every field written by a JSON encoder, so a message
// holding quotes, backslashes, control characters or invalid UTF-8 (a request path, a peer's
// SDP) stays one value and cannot add fields or lines. Include from .cpp files only.
#include <spdlog/formatter.h>

#include <memory>

namespace vg::common::log {

class JsonFormatter final : public spdlog::formatter {
  public:
    // {"time":"2026-12-07T21:00:00.123456Z","level":"info","module":"http","message":"..."}
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace vg::common::log
