#pragma once
// A fixed set of libpq connections served by their own threads: jobs are queued and run there,
// never on the threads that serve HTTP or media. A broken connection is reopened on next use, so
// the server survives a database restart.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>

#include "db/Connection.hpp"

namespace vg::db {

struct PoolOptions {
    std::string conninfo;          // libpq URI
    std::size_t size = 4;          // connections = threads
    std::size_t max_queue = 1024;  // jobs waiting beyond this are refused with Unavailable
    int connect_timeout_seconds = 3;
    int statement_timeout_ms = 5000;  // 0: none
};

struct PoolStats {
    std::size_t size = 0;         // configured connections
    std::size_t open = 0;         // currently connected
    std::size_t busy = 0;         // running a job
    std::size_t queued = 0;       // jobs waiting
    std::uint64_t completed = 0;  // jobs that ran to their end
    std::uint64_t failed = 0;     // jobs that ended in an exception (Unavailable included)
    std::uint64_t refused = 0;    // jobs refused at submit (queue full, pool stopped)
};

class Pool {
  public:
    // Starts the threads, which connect in the background: a database that is down at start
    // only makes the first jobs fail with Unavailable.
    explicit Pool(PoolOptions options);
    ~Pool();  // finishes queued jobs, then closes
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    // Runs job(connection) on a pool thread. If the job throws, or no connection can be had
    // (db::Unavailable), on_error gets the exception instead; exactly one of the two ends the job.
    // Never blocks: when the queue is full or the pool stopped, on_error(Unavailable) runs at once
    // on the caller's thread. A job left inside a transaction is rolled back.
    void submit(std::function<void(Connection&)> job,
                std::function<void(std::exception_ptr)> on_error);

    PoolStats stats() const;
    void stop();  // refuses new jobs, finishes queued ones, joins the threads; idempotent

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vg::db
