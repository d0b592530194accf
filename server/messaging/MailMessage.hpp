#pragma once
// One e-mail as it travels (RFC 5322 with MIME, RFC 2045-2047): a text and an HTML body of the
// same words (multipart/alternative), attachments beside them (multipart/mixed), and headers
// that any reader shows right: Date, Message-ID, and a Subject in encoded words when it holds
// anything but ASCII (French accents).
#include <string>
#include <string_view>
#include <vector>

#include "domain/TimeFormat.hpp"

namespace vg::messaging {

struct Attachment {
    std::string filename;      // ASCII
    std::string content_type;  // "text/calendar; charset=UTF-8; method=PUBLISH"
    std::string content;
};

struct MailMessage {
    std::string from;        // "Visioguichet <rendez-vous@example.org>" (ASCII)
    std::string to;          // one address
    std::string subject;     // UTF-8
    std::string text;        // UTF-8, lines ending in \n
    std::string html;        // UTF-8
    std::string message_id;  // "<id@domain>", the same on every attempt of one message
    domain::Instant date{};
    std::vector<Attachment> attachments;

    // The whole message with CRLF line ends, ready for DATA. Throws std::invalid_argument when a
    // header value holds a line break (no header can be injected through a template or a field).
    std::string render() const;

    // The addr-spec of a "Name <addr>" or bare "addr" mailbox (for the SMTP envelope).
    static std::string address_of(std::string_view mailbox);
    // A header value as RFC 2047 encoded words (UTF-8, base64) folded onto continuation lines,
    // or the text itself when it is printable ASCII with no "=?". used: the characters already on
    // the first line ("Subject: "), so that it too stays within 78.
    static std::string encode_header_words(std::string_view text, std::size_t used = 0);
    // RFC 5322 date-time in UTC: "Mon, 07 Dec 2026 22:00:00 +0000".
    static std::string format_date(domain::Instant instant);
};

}  // namespace vg::messaging
