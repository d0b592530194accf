#include "messaging/CalendarEvent.hpp"

#include <chrono>
#include <cstdio>

namespace vg::messaging {

namespace {

// Section 3.1: lines longer than 75 octets go on as CRLF + space, never inside a UTF-8 sequence.
void add_line(std::string& out, std::string_view line) {
    std::size_t taken = 0;
    std::size_t limit = 75;
    while (line.size() - taken > limit) {
        std::size_t cut = taken + limit;
        while (cut > taken && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
        out.append(line.substr(taken, cut - taken)).append("\r\n ");
        taken = cut;
        limit = 74;  // the leading space counts
    }
    out.append(line.substr(taken)).append("\r\n");
}

}  // namespace

std::string CalendarEvent::format_utc(domain::Instant instant) {
    using namespace std::chrono;
    auto day = floor<days>(instant);
    year_month_day ymd{day};
    hh_mm_ss time{floor<seconds>(instant - day)};
    char text[24];
    std::snprintf(text, sizeof text, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return text;
}

std::string CalendarEvent::escape_text(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\' || c == ';' || c == ',') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c != '\r') {
            out += c;
        }
    }
    return out;
}

std::string CalendarEvent::render() const {
    std::string out;
    add_line(out, "BEGIN:VCALENDAR");
    add_line(out, "VERSION:2.0");
    add_line(out, "PRODID:-//Visioguichet//Appointments//FR");
    add_line(out, cancelled ? "METHOD:CANCEL" : "METHOD:PUBLISH");
    add_line(out, "BEGIN:VEVENT");
    add_line(out, "UID:" + escape_text(uid));
    add_line(out, "SEQUENCE:" + std::to_string(sequence));
    add_line(out, "DTSTAMP:" + format_utc(stamp));
    add_line(out, "DTSTART:" + format_utc(starts_at));
    add_line(out, "DTEND:" + format_utc(ends_at));
    add_line(out, "SUMMARY:" + escape_text(summary));
    if (!location.empty()) add_line(out, "LOCATION:" + escape_text(location));
    if (!description.empty()) add_line(out, "DESCRIPTION:" + escape_text(description));
    if (!url.empty()) add_line(out, "URL:" + url);
    add_line(out, cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
    add_line(out, "END:VEVENT");
    add_line(out, "END:VCALENDAR");
    return out;
}

}  // namespace vg::messaging
