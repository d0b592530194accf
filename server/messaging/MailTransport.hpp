#pragma once
// Where a rendered e-mail goes: the SMTP relay (SmtpRelay) in the server, something that records
// in a test of the outbox's own rules. send() throws std::runtime_error with the relay's reason
// when the message was not accepted; the sender then tries again later.
#include <string>

namespace vg::messaging {

struct Envelope {
    std::string from;  // addr-spec for MAIL FROM
    std::string to;    // addr-spec for RCPT TO
    std::string data;  // the whole message, CRLF lines
};

class MailTransport {
  public:
    virtual ~MailTransport() = default;
    virtual void send(const Envelope& envelope) = 0;
};

}  // namespace vg::messaging
