#pragma once
// The appointment as an iCalendar object (RFC 5545) that the citizen's calendar adds, moves
// (same UID, higher SEQUENCE) or removes (METHOD:CANCEL).
#include <string>

#include "domain/TimeFormat.hpp"

namespace vg::messaging {

struct CalendarEvent {
    std::string uid;   // stable for one appointment
    int sequence = 0;  // grows with every change the citizen is told of
    bool cancelled = false;
    domain::Instant starts_at{};
    domain::Instant ends_at{};
    domain::Instant stamp{};  // when this version was made
    std::string summary;      // UTF-8
    std::string location;
    std::string description;
    std::string url;

    // VCALENDAR with one VEVENT, CRLF lines folded at 75 octets.
    std::string render() const;

    // "20261214T143000Z" (DATE-TIME in UTC, RFC 5545 section 3.3.5, form #2).
    static std::string format_utc(domain::Instant instant);
    // TEXT value escaping (section 3.3.11): backslash, semicolon, comma, newline.
    static std::string escape_text(std::string_view text);
};

}  // namespace vg::messaging
