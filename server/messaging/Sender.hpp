#pragma once
// Empties the outbox: one thread of its own with its own database connection, off the HTTP
// threads and the pool (a relay may take seconds to answer). Every poll it claims a batch of due
// messages (Outbox::claim), composes and sends each one, and records the outcome; a failed
// attempt waits retry_first, then twice as long each time up to retry_max, and after
// max_attempts the message is failed for good. Several nodes run a sender each on one database:
// a message goes to one of them only.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/Connection.hpp"
#include "desk/Options.hpp"
#include "messaging/Composer.hpp"
#include "messaging/MailTransport.hpp"
#include "messaging/SmsGateway.hpp"

namespace vg::messaging {

struct SenderOptions {
    std::string conninfo;
    std::chrono::milliseconds poll{1000};
    int batch = 10;
    // Longer than a relay may take (SmtpOptions::timeout): a claim outlives its attempt.
    std::chrono::seconds lease{300};
    std::chrono::seconds retry_first{30};
    std::chrono::seconds retry_max{3600};
    int max_attempts = 10;
    // Reminders this long before the start (reminder_offsets, default 24 h and 2 h).
    std::vector<int> reminder_offsets_minutes{24 * 60, 2 * 60};
};

class Sender {
  public:
    struct Stats {
        std::uint64_t sent = 0;  // e-mails
        std::uint64_t sms_sent = 0;
        std::uint64_t attempts_failed = 0;  // each failed attempt, retried or not
        std::uint64_t given_up = 0;
        long backlog = 0;  // as of the last poll
    };

    // email: where e-mails go, sms: where SMS go; either null when this node has no relay or no
    // gateway (another node's sender sends those). Owned by the caller, they outlive this.
    Sender(SenderOptions options, Composer composer, MailTransport* email, SmsGateway* sms,
           desk::Clock clock);
    ~Sender();
    Sender(const Sender&) = delete;
    Sender& operator=(const Sender&) = delete;

    void start();
    void stop();  // waits for the message being sent, if any

    // One batch on db: what the thread does each poll (tests call it directly): adds the due
    // reminders, then claims and sends. Returns how many messages it claimed.
    int run_once(db::Connection& db);
    Stats stats() const;

    // How long after the attempt-th failed attempt the next one waits.
    std::chrono::seconds retry_delay(int attempt) const;

  private:
    void run();
    void deliver(db::Connection& db, const OutboxMessage& message);

    SenderOptions options_;
    Composer composer_;
    MailTransport* email_;
    SmsGateway* sms_;
    std::vector<std::string> channels_;
    desk::Clock clock_;
    std::atomic<std::uint64_t> sent_{0};
    std::atomic<std::uint64_t> sms_sent_{0};
    std::atomic<std::uint64_t> attempts_failed_{0};
    std::atomic<std::uint64_t> given_up_{0};
    std::atomic<long> backlog_{0};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace vg::messaging
