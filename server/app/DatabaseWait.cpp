#include "app/DatabaseWait.hpp"

#include <algorithm>
#include <cerrno>
#include <ctime>

#include "common/Log.hpp"
#include "db/Connection.hpp"
#include "db/Error.hpp"

namespace vg::app {

std::unique_ptr<db::Connection> DatabaseWait::connect(const std::string& database_url,
                                                      std::chrono::seconds wait,
                                                      const sigset_t& stop_signals) {
    using clock = std::chrono::steady_clock;
    auto log = common::log::get("db");
    const auto deadline = clock::now() + wait;
    auto pause = std::chrono::milliseconds(250);
    for (int attempt = 1;; ++attempt) {
        try {
            auto connection = std::make_unique<db::Connection>(database_url);
            if (attempt > 1) log->info("database reachable after {} tries", attempt);
            return connection;
        } catch (const db::Unavailable& e) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
            if (left <= std::chrono::milliseconds::zero()) {
                throw db::Unavailable("the database is still unreachable after " +
                                      std::to_string(wait.count()) +
                                      " s (database_wait_seconds): " + e.what());
            }
            pause = std::min({pause, left, std::chrono::milliseconds(5000)});
            log->warn("database not reachable yet (try {}, {:.1f} s left, next in {:.2f} s): {}",
                      attempt, left.count() / 1000.0, pause.count() / 1000.0, e.what());
        }
        // Sleeps, but a SIGTERM from the service manager ends the wait at once.
        timespec timeout{static_cast<time_t>(pause.count() / 1000),
                         static_cast<long>(pause.count() % 1000) * 1000000L};
        int signal = sigtimedwait(&stop_signals, nullptr, &timeout);
        if (signal == SIGINT || signal == SIGTERM) {
            log->info("stop signal while waiting for the database: not starting");
            return nullptr;
        }
        pause *= 2;
    }
}

}  // namespace vg::app
