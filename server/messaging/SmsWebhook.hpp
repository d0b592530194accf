#pragma once
// SMS through any gateway behind a small adapter (CONTRACT.md, "Citizens"): a POST of
// {to, text, language} JSON to sms_webhook_url, signed with
// X-Visioguichet-Signature: sha256=<hex HMAC-SHA256 of the body under sms_webhook_secret>, so the
// adapter can tell our requests from anyone else's. Any 2xx is accepted; anything else is retried
// by the outbox.
#include <chrono>
#include <string>

#include "messaging/SmsGateway.hpp"

namespace vg::messaging {

class SmsWebhook : public SmsGateway {
  public:
    SmsWebhook(std::string url, std::string secret,
               std::chrono::seconds timeout = std::chrono::seconds(15));
    void send(const TextMessage& message) override;

    // The header's value for a body: "sha256=" + 64 lowercase hex digits.
    static std::string signature(const std::string& secret, const std::string& body);

  private:
    std::string url_;
    std::string secret_;
    std::chrono::seconds timeout_;
};

}  // namespace vg::messaging
