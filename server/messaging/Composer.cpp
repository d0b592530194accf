#include "messaging/Composer.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "messaging/CalendarEvent.hpp"
#include "messaging/Gsm7.hpp"
#include "messaging/LocalDateTime.hpp"

namespace vg::messaging {

namespace {

// The personal link outlives the visit by a week: a citizen may still look at what happened.
constexpr auto kLinkLifeAfterVisit = std::chrono::days{7};

LocalDateTime local(std::string_view fields) {
    // "YYYY MM DD ID HH24 MI" from to_char in the site's zone.
    std::istringstream in{std::string(fields)};
    LocalDateTime t;
    in >> t.year >> t.month >> t.day >> t.weekday >> t.hour >> t.minute;
    return t;
}

domain::Instant instant(std::string_view text) {
    auto parsed = domain::TimeFormat::parse_instant(text);
    if (!parsed) throw std::runtime_error("unreadable time " + std::string(text));
    return *parsed;
}

}  // namespace

struct Composer::Facts {
    std::string language;  // the citizen's
    Templates::Values values;
    CalendarEvent event;
};

Composer::Composer(ComposerOptions options, VisitLink link)
    : options_(std::move(options)), link_(std::move(link)), templates_(options_.templates_dir) {}

Composer::Facts Composer::facts(db::Connection& db, const OutboxMessage& message,
                                domain::Instant now) const {
    auto details = nlohmann::json::parse(message.details, nullptr, false);
    if (!details.is_object()) details = nlohmann::json::object();
    std::optional<std::string> old_start;
    if (details.contains("old_starts_at") && details["old_starts_at"].is_string())
        old_start = details["old_starts_at"].get<std::string>();
    constexpr const char* kLocal = "'YYYY MM DD ID HH24 MI'";
    auto rows = db.exec(
        std::string("SELECT a.check_in_code, vg_time(a.starts_at), vg_time(a.ends_at), a.version,"
                    " a.citizen_name, s.name_fr, s.name_en, coalesce(s.address, ''),"
                    " svc.name_fr, svc.name_en,"
                    " to_char(a.starts_at AT TIME ZONE s.timezone, ") +
            kLocal +
            "),"
            " coalesce(to_char($2::timestamptz AT TIME ZONE s.timezone, " +
            kLocal +
            "), '')"
            " FROM appointments a JOIN sites s ON s.id = a.site_id"
            " JOIN services svc ON svc.id = a.service_id WHERE a.id = $1",
        {message.appointment_id, old_start});
    if (rows.rows() != 1) throw std::runtime_error("the appointment no longer exists");
    Facts f;
    f.language = message.language;
    bool english = message.language == "en";
    auto starts = local(rows.get(0, 10));
    std::string site_name(rows.get(0, english ? 6 : 5));
    std::string address(rows.get(0, 7));
    std::string service_name(rows.get(0, english ? 9 : 8));
    auto ends_at = instant(rows.get(0, 2));
    auto url = options_.public_url + "/visit/#" +
               link_.token(message.appointment_id, ends_at + kLinkLifeAfterVisit);
    auto& v = f.values;
    v["citizen_name"] = std::string(rows.get(0, 4));
    v["code"] = std::string(rows.get(0, 0));
    v["date"] = starts.date_words(message.language);
    v["time"] = starts.time_words(message.language);
    v["short_date"] = starts.short_date_words(message.language);
    v["site_name"] = site_name;
    v["site_address"] = address;
    v["site_place"] = address.empty() ? site_name : site_name + ", " + address;
    v["service_name"] = service_name;
    v["visit_url"] = url;
    auto old_local = local(rows.get(0, 11));
    v["old_date"] = old_start ? old_local.date_words(message.language) : "";
    v["old_time"] = old_start ? old_local.time_words(message.language) : "";
    v["reason"] = details.contains("reason") && details["reason"].is_string()
                      ? details["reason"].get<std::string>()
                      : "";

    auto& e = f.event;
    e.uid = message.appointment_id + "@visioguichet";
    e.sequence = std::stoi(std::string(rows.get(0, 3)));
    e.cancelled = message.kind == "cancelled";
    e.starts_at = instant(rows.get(0, 1));
    e.ends_at = ends_at;
    e.stamp = now;
    e.summary = service_name + " — " + site_name;
    e.location = v["site_place"];
    e.description =
        (english ? "Check-in code: " : "Code d’enregistrement : ") + v["code"] + "\n" + url;
    e.url = url;
    return f;
}

MailMessage Composer::email(db::Connection& db, const OutboxMessage& message,
                            domain::Instant now) const {
    auto f = facts(db, message, now);
    auto words = templates_.render(message.kind, f.language, f.values);
    MailMessage mail;
    mail.from = options_.mail_from;
    mail.to = message.recipient;
    mail.subject = words.subject;
    mail.text = words.text;
    mail.html = words.html;
    auto from_address = MailMessage::address_of(options_.mail_from);
    auto at = from_address.find('@');
    // The outbox row's id: a relay or reader that sees a retried message twice knows it.
    mail.message_id = "<" + message.id + "@" +
                      (at == std::string::npos ? "visioguichet" : from_address.substr(at + 1)) +
                      ">";
    mail.date = now;
    mail.attachments.push_back(
        Attachment{words.language == "en" ? "appointment.ics" : "rendez-vous.ics",
                   std::string("text/calendar; charset=UTF-8; method=") +
                       (f.event.cancelled ? "CANCEL" : "PUBLISH"),
                   f.event.render()});
    return mail;
}

std::string Composer::sms(db::Connection& db, const OutboxMessage& message,
                          domain::Instant now) const {
    auto f = facts(db, message, now);
    // One SMS of 160 characters where the template allows it: the GSM alphabet only.
    return Gsm7::fold(templates_.render_sms(message.kind, f.language, f.values));
}

}  // namespace vg::messaging
