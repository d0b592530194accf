#include "db/SerialJobs.hpp"

#include <exception>

#include "common/Log.hpp"

namespace vg::db {

namespace {

void log_failure(const std::exception& e) {
    common::log::get("db")->warn("serial job: {}", e.what());
}

}  // namespace

SerialJobs::SerialJobs(Pool& pool, std::size_t max_limited)
    : pool_(pool), max_limited_(max_limited) {}

SerialJobs::~SerialJobs() {
    close();
}

bool SerialJobs::submit(Job job, bool limited) {
    {
        std::lock_guard lock(mutex_);
        if (closed_) return false;
        if (limited) {
            if (limited_ >= max_limited_) return false;
            ++limited_;
        }
        queue_.push_back({std::move(job), limited});
        if (draining_) return true;
        draining_ = true;
    }
    pool_.submit([this](Connection& db) { drain(db); },
                 [this](std::exception_ptr error) {
                     try {
                         std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                         log_failure(e);
                     }
                     fail_queued();
                 });
    return true;
}

void SerialJobs::close() {
    std::unique_lock lock(mutex_);
    closed_ = true;
    idle_.wait(lock, [this] { return !draining_; });
}

void SerialJobs::drain(Connection& db) {
    for (;;) {
        Queued next;
        {
            std::lock_guard lock(mutex_);
            if (queue_.empty()) {
                draining_ = false;
                idle_.notify_all();
                return;
            }
            next = std::move(queue_.front());
            queue_.pop_front();
            if (next.limited) --limited_;
        }
        try {
            next.job.run(db);
        } catch (const std::exception& e) {
            log_failure(e);
            if (next.job.fail) next.job.fail();
        }
    }
}

void SerialJobs::fail_queued() {
    std::deque<Queued> failed;
    {
        std::lock_guard lock(mutex_);
        failed.swap(queue_);
        limited_ = 0;
        draining_ = false;
        idle_.notify_all();
    }
    for (auto& queued : failed)
        if (queued.job.fail) queued.job.fail();
}

}  // namespace vg::db
