#include "db/Pool.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "common/Log.hpp"

namespace vg::db {
namespace {

// After a failed connect, jobs fail at once for this long instead of each waiting for its own
// connect timeout while the database is down.
constexpr std::chrono::milliseconds retry_delay{500};

struct Job {
    std::function<void(Connection&)> run;
    std::function<void(std::exception_ptr)> on_error;
};

void report(const std::function<void(std::exception_ptr)>& on_error, std::exception_ptr error) {
    try {
        if (on_error) {
            on_error(error);
        } else {
            std::rethrow_exception(error);
        }
    } catch (const std::exception& e) {
        common::log::get("db")->error("database job error not handled: {}", e.what());
    } catch (...) {
        common::log::get("db")->error("database job error not handled");
    }
}

}  // namespace

struct Pool::Impl {
    PoolOptions options;
    mutable std::mutex mutex;
    std::condition_variable wake;
    std::deque<Job> queue;
    bool stopping = false;
    bool down = false;  // the last connect failed
    std::chrono::steady_clock::time_point retry_at{};
    PoolStats stats;
    std::mutex join_mutex;
    std::vector<std::thread> threads;

    void serve();
    std::unique_ptr<Connection> connect();
    void close(std::unique_ptr<Connection>& connection);
    void clean_up(std::unique_ptr<Connection>& connection);
};

std::unique_ptr<Connection> Pool::Impl::connect() {
    {
        std::lock_guard lock(mutex);
        if (std::chrono::steady_clock::now() < retry_at) {
            throw Unavailable("database unavailable: reconnecting");
        }
    }
    try {
        auto connection =
            std::make_unique<Connection>(options.conninfo, options.connect_timeout_seconds);
        if (options.statement_timeout_ms > 0) {
            connection->exec("SELECT set_config('statement_timeout', $1, false)",
                             {std::to_string(options.statement_timeout_ms)});
        }
        std::lock_guard lock(mutex);
        ++stats.open;
        if (down) common::log::get("db")->info("database reachable again");
        down = false;
        return connection;
    } catch (const Unavailable& e) {
        std::lock_guard lock(mutex);
        retry_at = std::chrono::steady_clock::now() + retry_delay;
        if (!down) common::log::get("db")->warn("{}", e.what());
        down = true;
        throw;
    }
}

void Pool::Impl::close(std::unique_ptr<Connection>& connection) {
    if (!connection) return;
    connection.reset();
    std::lock_guard lock(mutex);
    --stats.open;
}

// A job must not leave its transaction open for the next one.
void Pool::Impl::clean_up(std::unique_ptr<Connection>& connection) {
    if (connection && connection->ok() &&
        PQtransactionStatus(connection->native()) != PQTRANS_IDLE) {
        try {
            connection->exec("ROLLBACK");
        } catch (const std::exception&) {
        }
    }
    if (connection &&
        (!connection->ok() || PQtransactionStatus(connection->native()) != PQTRANS_IDLE)) {
        close(connection);
    }
}

void Pool::Impl::serve() {
    std::unique_ptr<Connection> connection;
    try {
        connection = connect();
    } catch (const Unavailable&) {
    }
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] { return stopping || !queue.empty(); });
            if (queue.empty()) break;
            job = std::move(queue.front());
            queue.pop_front();
            ++stats.busy;
        }
        std::exception_ptr error;
        try {
            if (!connection || !connection->alive()) {
                close(connection);
                connection = connect();
            }
            job.run(*connection);
        } catch (...) {
            error = std::current_exception();
        }
        clean_up(connection);
        if (error) report(job.on_error, error);
        std::lock_guard lock(mutex);
        --stats.busy;
        ++(error ? stats.failed : stats.completed);
    }
    close(connection);
}

Pool::Pool(PoolOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    if (impl_->options.size == 0) impl_->options.size = 1;
    impl_->stats.size = impl_->options.size;
    for (std::size_t i = 0; i < impl_->options.size; ++i) {
        impl_->threads.emplace_back([impl = impl_.get()] { impl->serve(); });
    }
}

Pool::~Pool() {
    stop();
}

void Pool::submit(std::function<void(Connection&)> job,
                  std::function<void(std::exception_ptr)> on_error) {
    const char* refusal = nullptr;
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopping) {
            refusal = "database pool stopped";
        } else if (impl_->queue.size() >= impl_->options.max_queue) {
            refusal = "database busy: too many queued jobs";
        } else {
            impl_->queue.push_back({std::move(job), std::move(on_error)});
        }
        if (refusal != nullptr) ++impl_->stats.refused;
    }
    if (refusal == nullptr) {
        impl_->wake.notify_one();
        return;
    }
    report(on_error, std::make_exception_ptr(Unavailable(refusal)));
}

PoolStats Pool::stats() const {
    std::lock_guard lock(impl_->mutex);
    PoolStats stats = impl_->stats;
    stats.queued = impl_->queue.size();
    return stats;
}

void Pool::stop() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    std::lock_guard lock(impl_->join_mutex);
    for (auto& thread : impl_->threads) {
        if (thread.joinable()) thread.join();
    }
}

}  // namespace vg::db
