#pragma once
// Turns one outbox row into the message the citizen reads: the appointment's facts as they are
// when it is sent (code, the local date and time in the site's zone, site, service, the personal
// link), worded by the operator's templates in the citizen's language, with the .ics beside the
// e-mail.
#include <string>

#include "db/Connection.hpp"
#include "domain/TimeFormat.hpp"
#include "messaging/MailMessage.hpp"
#include "messaging/Outbox.hpp"
#include "messaging/Templates.hpp"
#include "messaging/VisitLink.hpp"

namespace vg::messaging {

struct ComposerOptions {
    std::string templates_dir;
    std::string public_url;  // the personal link is public_url + "/visit/#" + token
    std::string mail_from;   // "Name <address>"
};

class Composer {
  public:
    Composer(ComposerOptions options, VisitLink link);

    // Throws std::runtime_error (a template or the appointment missing): the attempt fails and
    // its reason is shown to admins.
    MailMessage email(db::Connection& db, const OutboxMessage& message, domain::Instant now) const;
    // The text of an SMS, as short as its template.
    std::string sms(db::Connection& db, const OutboxMessage& message, domain::Instant now) const;

  private:
    struct Facts;
    Facts facts(db::Connection& db, const OutboxMessage& message, domain::Instant now) const;

    ComposerOptions options_;
    VisitLink link_;
    Templates templates_;
};

}  // namespace vg::messaging
