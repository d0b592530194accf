#pragma once
// A fixed set of libpq connections served by their own threads: jobs are queued and run there,
// never on the threads that serve HTTP or media. A broken connection is reopened on next use, so
// the server survives a database restart.
#include "db/Connection.hpp"

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <string>

namespace vg::db {

struct PoolOptions {
    std::string conninfo;          // libpq URI
    std::size_t size = 4;          // connections = threads
    std::size_t max_queue = 1024;  // jobs waiting beyond this are refused with Unavailable
    int connect_timeout_seconds = 3;
    int statement_timeout_ms = 5000;
};

struct PoolStats {
    std::size_t size = 0;         // configured connections
    std::size_t open = 0;         // currently connected
    std::size_t busy = 0;         // running a job
    std::size_t queued = 0;       // jobs waiting
    std::uint64_t completed = 0;  // jobs run
    std::uint64_t failed = 0;     // jobs that ended in an exception
};

class Pool {
public:
    explicit Pool(PoolOptions options);
    ~Pool();  // finishes queued jobs, then closes
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    // Runs job(connection) on a pool thread. If the job throws, or no connection can be had
    // (db::Unavailable), on_error gets the exception instead; exactly one of the two ends the job.
    void submit(std::function<void(Connection&)> job,
                std::function<void(std::exception_ptr)> on_error);

    PoolStats stats() const;
    void stop();  // refuses new jobs, finishes queued ones, joins the threads

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vg::db
