#pragma once
// The messages to citizens on this node: the SMTP relay, the SMS webhook, the outbox's sender
// thread and their series in /metrics. Nothing runs without smtp_url or sms_webhook_url (the
// outbox then keeps its rows pending, visible through GET /messages, until a node with a relay
// or a gateway sends them).
#include <memory>

#include "app/Config.hpp"
#include "desk/Options.hpp"
#include "messaging/VisitLink.hpp"

namespace vg::http {
class Metrics;
}
namespace vg::messaging {
class SmtpRelay;
class SmsWebhook;
class Sender;
}  // namespace vg::messaging

namespace vg::app {

class CitizenMessages {
  public:
    // metrics must outlive this object; its series are removed again by the destructor.
    CitizenMessages(const Config& config, messaging::VisitLink link, desk::Clock clock,
                    http::Metrics& metrics);
    ~CitizenMessages();
    CitizenMessages(const CitizenMessages&) = delete;
    CitizenMessages& operator=(const CitizenMessages&) = delete;

    void start();
    void stop();

  private:
    http::Metrics& metrics_;
    std::unique_ptr<messaging::SmtpRelay> relay_;
    std::unique_ptr<messaging::SmsWebhook> sms_;
    std::unique_ptr<messaging::Sender> sender_;
};

}  // namespace vg::app
