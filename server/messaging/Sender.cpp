#include "messaging/Sender.hpp"

#include "common/Log.hpp"
#include "db/Error.hpp"
#include "domain/TimeFormat.hpp"

namespace vg::messaging {

namespace {

domain::Instant to_instant(std::chrono::system_clock::time_point t) {
    return std::chrono::time_point_cast<std::chrono::microseconds>(t);
}

}  // namespace

Sender::Sender(SenderOptions options, Composer composer, MailTransport* email, SmsGateway* sms,
               desk::Clock clock)
    : options_(std::move(options)),
      composer_(std::move(composer)),
      email_(email),
      sms_(sms),
      channels_(),
      clock_(std::move(clock)) {
    if (email_) channels_.emplace_back("email");
    if (sms_) channels_.emplace_back("sms");
}

Sender::~Sender() {
    stop();
}

void Sender::start() {
    thread_ = std::thread([this] { run(); });
}

void Sender::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

Sender::Stats Sender::stats() const {
    return Stats{sent_.load(), sms_sent_.load(), attempts_failed_.load(), given_up_.load(),
                 backlog_.load()};
}

std::chrono::seconds Sender::retry_delay(int attempt) const {
    auto delay = options_.retry_first;
    for (int i = 1; i < attempt && delay < options_.retry_max; ++i) delay *= 2;
    return std::min(delay, options_.retry_max);
}

void Sender::run() {
    auto log = common::log::get("messaging");
    std::unique_ptr<db::Connection> db;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, options_.poll, [this] { return stopping_; })) return;
        }
        try {
            if (!db || !db->ok()) db = std::make_unique<db::Connection>(options_.conninfo);
            // A full batch means more may be due: go on without waiting for the next poll.
            while (run_once(*db) == options_.batch) {
                std::lock_guard lock(mutex_);
                if (stopping_) return;
            }
            backlog_ = Outbox::backlog(*db);
        } catch (const db::Unavailable& e) {
            log->warn("outbox: database unavailable ({}), trying again", e.what());
            db.reset();
        } catch (const std::exception& e) {
            log->error("outbox: {}", e.what());
        }
    }
}

int Sender::run_once(db::Connection& db) {
    auto now = domain::TimeFormat::format_instant(to_instant(clock_()));
    Outbox::queue_reminders(db, now, options_.reminder_offsets_minutes);
    auto claimed = Outbox::claim(db, now, options_.batch, options_.lease, channels_);
    for (const auto& message : claimed) deliver(db, message);
    return static_cast<int>(claimed.size());
}

void Sender::deliver(db::Connection& db, const OutboxMessage& message) {
    auto log = common::log::get("messaging");
    auto now = to_instant(clock_());
    std::string error;
    try {
        if (message.channel == "sms") {
            if (!sms_) throw std::runtime_error("no SMS gateway on this node");
            sms_->send(
                TextMessage{message.recipient, composer_.sms(db, message, now), message.language});
        } else {
            if (!email_) throw std::runtime_error("no SMTP relay on this node");
            auto mail = composer_.email(db, message, now);
            email_->send(Envelope{MailMessage::address_of(mail.from), mail.to, mail.render()});
        }
    } catch (const db::Unavailable&) {
        throw;  // the lease brings the message back once the database does
    } catch (const std::exception& e) {
        error = e.what();
    }
    auto done = to_instant(clock_());
    if (error.empty()) {
        Outbox::mark_sent(db, message, domain::TimeFormat::format_instant(done));
        ++(message.channel == "sms" ? sms_sent_ : sent_);
        log->info("message {} ({} {}) sent", message.id, message.kind, message.channel);
        return;
    }
    ++attempts_failed_;
    bool give_up = message.attempts >= options_.max_attempts;
    if (give_up) ++given_up_;
    auto next =
        done + std::chrono::duration_cast<std::chrono::microseconds>(retry_delay(message.attempts));
    Outbox::mark_failed(db, message, error, domain::TimeFormat::format_instant(next), give_up);
    log->warn("message {} ({} {}) attempt {} failed{}: {}", message.id, message.kind,
              message.channel, message.attempts, give_up ? ", given up" : "", error);
}

}  // namespace vg::messaging
