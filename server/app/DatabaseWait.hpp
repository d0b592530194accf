#pragma once
// serve's first database connection. A service manager or a compose file often starts the server
// before PostgreSQL accepts connections: the first connection is retried with backoff, each try
// logged, for database_wait_seconds, instead of the process failing at once.
#include <signal.h>

#include <chrono>
#include <memory>
#include <string>

namespace vg::db {
class Connection;
}

namespace vg::app {

class DatabaseWait {
  public:
    // The connection; null when one of stop_signals (blocked by the caller) came during the
    // wait. Throws db::Unavailable, with the last reason, once wait has passed.
    static std::unique_ptr<db::Connection> connect(const std::string& database_url,
                                                   std::chrono::seconds wait,
                                                   const sigset_t& stop_signals);
};

}  // namespace vg::app
