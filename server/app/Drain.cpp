#include "app/Drain.hpp"

#include <ctime>

#include "app/NodeHeartbeat.hpp"
#include "common/Log.hpp"
#include "signaling/CallSignaling.hpp"

namespace vg::app {

void Drain::run(signaling::CallSignaling& calls, NodeHeartbeat& heartbeat,
                std::chrono::seconds limit, const sigset_t& signals) {
    auto log = common::log::get("app");
    auto started = std::chrono::steady_clock::now();
    // Draining must be in the database before the participants are told to move: their new join
    // would otherwise be placed here again.
    heartbeat.drain(std::chrono::seconds(3));
    auto participants = calls.participant_count();
    log->info("draining: {} participants in {} call sessions asked to move", participants,
              calls.call_count());
    calls.drain();
    auto deadline = started + limit;
    while (calls.participant_count() > 0) {
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            log->warn("drain_seconds passed with {} participants still here",
                      calls.participant_count());
            return;
        }
        timespec wait{0, 100'000'000};
        siginfo_t info{};
        if (sigtimedwait(&signals, &info, &wait) > 0 && info.si_signo != SIGHUP) {
            log->warn("second stop signal: the drain ends now");
            return;
        }
    }
    log->info("drained in {} ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::steady_clock::now() - started)
                                      .count());
}

}  // namespace vg::app
