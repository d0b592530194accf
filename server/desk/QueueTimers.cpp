#include "desk/QueueTimers.hpp"

#include <vector>

#include "common/Log.hpp"

namespace vg::desk {

QueueTimers::QueueTimers(db::Pool& pool, const Options& options, Clock clock,
                         common::Schedule schedule, std::chrono::milliseconds interval)
    : pool_(pool),
      options_(options),
      clock_(std::move(clock)),
      schedule_(std::move(schedule)),
      interval_(interval) {}

QueueTimers::~QueueTimers() {
    stop();
}

int QueueTimers::add_hook(Hook hook) {
    std::lock_guard lock(mutex_);
    hooks_[++next_hook_] = std::make_shared<Hook>(std::move(hook));
    return next_hook_;
}

void QueueTimers::remove_hook(int id) {
    std::unique_lock lock(mutex_);
    hooks_.erase(id);
    idle_.wait(lock, [this] { return !busy_; });
}

void QueueTimers::start() {
    {
        std::lock_guard lock(mutex_);
        if (started_ || stopped_) return;
        started_ = true;
    }
    arm();
}

void QueueTimers::stop() {
    std::unique_lock lock(mutex_);
    stopped_ = true;
    idle_.wait(lock, [this] { return !busy_; });
}

void QueueTimers::arm() {
    schedule_(interval_, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->tick();
    });
}

void QueueTimers::tick() {
    {
        std::lock_guard lock(mutex_);
        if (stopped_) return;
        // A slow database: skip this beat rather than pile up jobs.
        if (!busy_) {
            busy_ = true;
        } else {
            arm();
            return;
        }
    }
    arm();
    auto done = [this] {
        std::lock_guard lock(mutex_);
        busy_ = false;
        idle_.notify_all();
    };
    pool_.submit(
        [this, done](db::Connection& db) {
            run(db);  // when it throws, the pool hands the error to the second function
            done();
        },
        [done](std::exception_ptr error) {
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                common::log::get("desk")->warn("queue timers: {}", e.what());
            }
            done();
        });
}

HousekeepingReport QueueTimers::run(db::Connection& db) {
    auto now = now_text(clock_);
    std::vector<std::shared_ptr<Hook>> hooks;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, hook] : hooks_) hooks.push_back(hook);
    }
    for (const auto& hook : hooks) (*hook)(db, now);
    auto report = Housekeeping::run(db, options_, now);
    if (report.offers_expired + report.wrap_ups_ended + report.agents_lost + report.no_shows > 0)
        common::log::get("desk")->info(
            "queue timers: {} offers expired, {} wrap-ups ended, {} agents lost, {} no-shows",
            report.offers_expired, report.wrap_ups_ended, report.agents_lost, report.no_shows);
    return report;
}

}  // namespace vg::desk
