#pragma once
// Pool jobs one at a time, in arrival order: what a caller submits here runs after everything it
// submitted before, on one pool connection at a time (so a live-events client's snapshot always
// precedes its first push). One pool job works through the queue while it is not empty.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include "db/Pool.hpp"

namespace vg::db {

class SerialJobs {
  public:
    struct Job {
        std::function<void(Connection&)> run;
        std::function<void()> fail;  // when run threw or no database connection could be had
    };

    // pool must outlive this object. max_limited: how many jobs submitted with limited = true
    // may wait at once.
    SerialJobs(Pool& pool, std::size_t max_limited);
    ~SerialJobs();  // close()
    SerialJobs(const SerialJobs&) = delete;
    SerialJobs& operator=(const SerialJobs&) = delete;

    // False (and nothing queued) once closed, or when limited and max_limited such jobs wait.
    bool submit(Job job, bool limited = false);
    // Refuses every later job and waits until the queue is empty. Idempotent.
    void close();

  private:
    struct Queued {
        Job job;
        bool limited = false;
    };

    void drain(Connection& db);
    void fail_queued();

    Pool& pool_;
    std::size_t max_limited_;

    std::mutex mutex_;
    std::condition_variable idle_;
    std::deque<Queued> queue_;
    std::size_t limited_ = 0;
    bool draining_ = false;  // a pool job is working through queue_
    bool closed_ = false;
};

}  // namespace vg::db
