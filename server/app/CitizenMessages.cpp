#include "app/CitizenMessages.hpp"

#include <fstream>
#include <sstream>

#include "http/Metrics.hpp"
#include "messaging/Sender.hpp"
#include "messaging/SmsWebhook.hpp"
#include "messaging/SmtpRelay.hpp"

namespace vg::app {

namespace {

std::string read_password(const std::string& file) {
    std::ifstream in(file);
    if (!in) throw ConfigError("smtp_password_file: cannot read '" + file + "'");
    std::string password;
    std::getline(in, password);  // one line; a trailing newline is not part of it
    return password;
}

}  // namespace

CitizenMessages::CitizenMessages(const Config& config, messaging::VisitLink link, desk::Clock clock,
                                 http::Metrics& metrics)
    : metrics_(metrics) {
    if (config.smtp_url.empty() && config.sms_webhook_url.empty()) return;
    if (!config.smtp_url.empty()) {
        messaging::SmtpOptions smtp;
        smtp.url = config.smtp_url;
        if (!config.smtp_password_file.empty())
            smtp.password = read_password(config.smtp_password_file);
        smtp.ca_file = config.smtp_ca_file;
        relay_ = std::make_unique<messaging::SmtpRelay>(smtp);
    }
    if (!config.sms_webhook_url.empty()) {
        sms_ = std::make_unique<messaging::SmsWebhook>(config.sms_webhook_url,
                                                       config.sms_webhook_secret);
    }
    messaging::SenderOptions options;
    options.conninfo = config.database_url;
    options.retry_first = std::chrono::seconds(config.message_retry_seconds);
    options.max_attempts = config.message_max_attempts;
    options.reminder_offsets_minutes = config.reminder_offsets_minutes;
    messaging::Composer composer(messaging::ComposerOptions{config.message_templates_dir,
                                                            config.public_url, config.mail_from},
                                 std::move(link));
    sender_ = std::make_unique<messaging::Sender>(options, std::move(composer), relay_.get(),
                                                  sms_.get(), std::move(clock));
    auto* sender = sender_.get();
    metrics.add_counter(
        "vg_messages_sent_total", "Messages to citizens accepted by the relay or the SMS gateway",
        [sender] { return static_cast<double>(sender->stats().sent); }, {{"channel", "email"}});
    metrics.add_counter(
        "vg_messages_sent_total", "Messages to citizens accepted by the relay or the SMS gateway",
        [sender] { return static_cast<double>(sender->stats().sms_sent); }, {{"channel", "sms"}});
    metrics.add_counter("vg_message_attempts_failed_total",
                        "Attempts to send a message that the relay refused or that failed",
                        [sender] { return static_cast<double>(sender->stats().attempts_failed); });
    metrics.add_counter("vg_messages_given_up_total",
                        "Messages failed for good after message_max_attempts",
                        [sender] { return static_cast<double>(sender->stats().given_up); });
    metrics.add_gauge("vg_messages_backlog", "Messages not sent yet (all nodes), at the last poll",
                      [sender] { return static_cast<double>(sender->stats().backlog); });
}

CitizenMessages::~CitizenMessages() {
    stop();
    if (!sender_) return;
    for (const char* name : {"vg_messages_sent_total", "vg_message_attempts_failed_total",
                             "vg_messages_given_up_total", "vg_messages_backlog"})
        metrics_.remove(name);
}

void CitizenMessages::start() {
    if (sender_) sender_->start();
}

void CitizenMessages::stop() {
    if (sender_) sender_->stop();
}

}  // namespace vg::app
