#pragma once
// The clock of the queue and of presence: about once a second, one pool job runs the hooks (live
// events keep their connected consoles alive with one), then Housekeeping (offers past their
// expiry back to the queue, wrap-up ended, agents whose console went silent past the grace period
// offline, no-shows). Every step takes what it changes with SKIP LOCKED or a conditional UPDATE,
// so several server processes may tick at once. app/Application makes one per process.
//
// Create it with std::make_shared (scheduled ticks hold weak references).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/Schedule.hpp"
#include "db/Pool.hpp"
#include "desk/Housekeeping.hpp"
#include "desk/Options.hpp"

namespace vg::desk {

class QueueTimers : public std::enable_shared_from_this<QueueTimers> {
  public:
    // Runs first in each tick's job, with the tick's "now".
    using Hook = std::function<void(db::Connection&, const std::string& now)>;

    // pool and options must outlive this object.
    QueueTimers(db::Pool& pool, const Options& options, Clock clock, common::Schedule schedule,
                std::chrono::milliseconds interval);
    ~QueueTimers();
    QueueTimers(const QueueTimers&) = delete;
    QueueTimers& operator=(const QueueTimers&) = delete;

    // A hook for every later tick; the number is for remove_hook.
    int add_hook(Hook hook);
    // The hook is not called after this returns (it waits for the tick in progress); never call
    // it from a hook.
    void remove_hook(int id);

    void start();
    // No tick after this returns; waits for the one running. Idempotent.
    void stop();
    // One tick on this connection, now (what each scheduled tick's job does).
    HousekeepingReport run(db::Connection& db);

  private:
    void arm();
    void tick();

    db::Pool& pool_;
    const Options& options_;
    Clock clock_;
    common::Schedule schedule_;
    std::chrono::milliseconds interval_;

    std::mutex mutex_;
    std::condition_variable idle_;
    std::map<int, std::shared_ptr<Hook>> hooks_;
    int next_hook_ = 0;
    bool started_ = false;
    bool stopped_ = false;
    bool busy_ = false;  // a tick's job is queued or running
};

}  // namespace vg::desk
