#pragma once
// The clock of the queue and of presence: about once a second, one pool job runs the
// housekeeping of http::api::Housekeeping (offers past their expiry back to the queue, wrap-up
// ended, agents whose console went silent past the grace period offline, no-shows), after the
// hook that LiveEvents uses to keep its connected agents alive. Every step takes what it changes
// with SKIP LOCKED or a conditional UPDATE, so several server processes may tick at once.
//
// Create it with std::make_shared (scheduled ticks hold weak references).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "db/Pool.hpp"
#include "http/api/ApiContext.hpp"
#include "http/api/Housekeeping.hpp"
#include "signaling/Schedule.hpp"

namespace vg::signaling::events {

class QueueTimers : public std::enable_shared_from_this<QueueTimers> {
  public:
    // Runs first in each tick's job, with the tick's "now" (from the ApiContext's clock).
    using Hook = std::function<void(db::Connection&, const std::string& now)>;

    // pool and api must outlive this object.
    QueueTimers(db::Pool& pool, const http::api::ApiContext& api, Schedule schedule,
                std::chrono::milliseconds interval, Hook hook = {});
    ~QueueTimers();
    QueueTimers(const QueueTimers&) = delete;
    QueueTimers& operator=(const QueueTimers&) = delete;

    void start();
    // No tick after this returns; waits for the one running. Idempotent.
    void stop();
    // One tick on this connection, now (what each scheduled tick's job does).
    http::api::HousekeepingReport run(db::Connection& db);

  private:
    void arm();
    void tick();

    db::Pool& pool_;
    const http::api::ApiContext& api_;
    Schedule schedule_;
    std::chrono::milliseconds interval_;
    Hook hook_;

    std::mutex mutex_;
    std::condition_variable idle_;
    bool started_ = false;
    bool stopped_ = false;
    bool busy_ = false;  // a tick's job is queued or running
};

}  // namespace vg::signaling::events
