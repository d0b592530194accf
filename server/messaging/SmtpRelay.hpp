#pragma once
// E-mail through an SMTP relay with libcurl (Debian's libcurl4-openssl-dev; why libcurl:
// docs/architecture.md "Messages"). smtps:// is TLS from the first byte; smtp:// upgrades with
// STARTTLS, which is required unless the relay is on loopback (a local MTA), where it is used when
// offered. Certificates are verified (the system's CAs, or ca_file). One message per connection:
// a sender sends a few messages a second at most, and a fresh connection has no state to lose.
#include <chrono>
#include <memory>
#include <string>

#include "messaging/MailTransport.hpp"

namespace vg::messaging {

struct SmtpOptions {
    std::string url;       // smtp://host:port or smtps://host:port (user:password@ allowed)
    std::string password;  // from smtp_password_file; the user is the URL's
    std::string ca_file;   // PEM bundle that signs the relay's certificate; empty: the system's
    std::chrono::seconds connect_timeout{10};
    std::chrono::seconds timeout{60};  // a whole message, end to end
};

class SmtpRelay : public MailTransport {
  public:
    explicit SmtpRelay(SmtpOptions options);
    ~SmtpRelay() override;
    SmtpRelay(const SmtpRelay&) = delete;
    SmtpRelay& operator=(const SmtpRelay&) = delete;

    void send(const Envelope& envelope) override;

    // Whether a URL names a relay on loopback (127.0.0.0/8, ::1, localhost).
    static bool is_loopback_url(const std::string& url);

  private:
    SmtpOptions options_;
};

}  // namespace vg::messaging
