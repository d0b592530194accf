#pragma once
// A client of the live events (/api/v1/events) as the booth and agent pages are: it says hello
// with its token and keeps the snapshot the server answers, then reads the pushed events.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "support/WebSocketClient.hpp"

namespace vg::test::faults {

class LiveConsole {
  public:
    // Connects, says hello and reads the hello and snapshot answers; throws when the server
    // does not answer or refuses.
    LiveConsole(std::uint16_t port, const std::string& token);

    const nlohmann::json& snapshot() const { return snapshot_; }
    // The next event of this type for which wanted holds, skipping others; null when none comes
    // within about within_messages messages or the timeout of one read.
    nlohmann::json next(const std::string& type,
                        const std::function<bool(const nlohmann::json&)>& wanted,
                        int within_messages = 200);

  private:
    nlohmann::json read();
    WebSocketClient ws_;
    nlohmann::json snapshot_;
};

}  // namespace vg::test::faults
