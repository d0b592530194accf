#pragma once
// The threads that hash passwords, apart from the database pool and the HTTP threads: a login
// costs tens of milliseconds of CPU and memory by design, and a flood of them must neither hold
// the pool's connections nor starve /readyz. Few threads (each hash holds Argon2id's memory) and
// a bounded queue: what does not fit is refused at once, and the caller answers 503.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vg::desk {

class PasswordHasher {
  public:
    explicit PasswordHasher(std::size_t threads = 1, std::size_t max_queue = 32);
    ~PasswordHasher();  // runs what is queued, then joins
    PasswordHasher(const PasswordHasher&) = delete;
    PasswordHasher& operator=(const PasswordHasher&) = delete;

    // Queues work for a hashing thread; false (and nothing runs) when the queue is full. work
    // must not throw: it reports its own outcome.
    bool submit(std::function<void()> work);

  private:
    void run();

    std::size_t max_queue_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace vg::desk
