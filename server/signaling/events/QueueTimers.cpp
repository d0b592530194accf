#include "signaling/events/QueueTimers.hpp"

#include "common/Log.hpp"
#include "domain/TimeFormat.hpp"

namespace vg::signaling::events {

QueueTimers::QueueTimers(db::Pool& pool, const http::api::ApiContext& api, Schedule schedule,
                         std::chrono::milliseconds interval, Hook hook)
    : pool_(pool),
      api_(api),
      schedule_(std::move(schedule)),
      interval_(interval),
      hook_(std::move(hook)) {}

QueueTimers::~QueueTimers() {
    stop();
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
                common::log::get("events")->warn("queue timers: {}", e.what());
            }
            done();
        });
}

http::api::HousekeepingReport QueueTimers::run(db::Connection& db) {
    auto now = domain::TimeFormat::format_instant(
        std::chrono::time_point_cast<std::chrono::microseconds>(api_.clock()));
    if (hook_) hook_(db, now);
    auto report = http::api::Housekeeping::run(db, api_.options, now);
    if (report.offers_expired + report.wrap_ups_ended + report.agents_lost + report.no_shows > 0)
        common::log::get("events")->info(
            "queue timers: {} offers expired, {} wrap-ups ended, {} agents lost, {} no-shows",
            report.offers_expired, report.wrap_ups_ended, report.agents_lost, report.no_shows);
    return report;
}

}  // namespace vg::signaling::events
