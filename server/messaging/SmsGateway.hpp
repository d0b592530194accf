#pragma once
// Where an SMS goes: the signed webhook (SmsWebhook) in the server, a recorder in the outbox's
// tests. send() throws std::runtime_error with the gateway's reason when it did not accept it.
#include <string>

namespace vg::messaging {

struct TextMessage {
    std::string to;  // the citizen's number as booked
    std::string text;
    std::string language;
};

class SmsGateway {
  public:
    virtual ~SmsGateway() = default;
    virtual void send(const TextMessage& message) = 0;
};

}  // namespace vg::messaging
