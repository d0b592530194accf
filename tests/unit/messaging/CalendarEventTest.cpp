// messaging::CalendarEvent: the .ics a calendar reads (RFC 5545).
#include <gtest/gtest.h>

#include "messaging/CalendarEvent.hpp"

namespace vg::test {

using messaging::CalendarEvent;

namespace {

domain::Instant at(std::string_view text) {
    return *domain::TimeFormat::parse_instant(text);
}

}  // namespace

TEST(CalendarEventTest, EventHasItsStartEndAndUidInUtc) {
    CalendarEvent e;
    e.uid = "4b1c@visioguichet";
    e.sequence = 2;
    e.starts_at = at("2026-12-14T14:30:00Z");
    e.ends_at = at("2026-12-14T14:45:00Z");
    e.stamp = at("2026-12-07T22:00:00Z");
    e.summary = "Aide à l’emploi — Nicolet";
    auto text = e.render();
    EXPECT_EQ(text.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0), 0u);
    EXPECT_NE(text.find("\r\nMETHOD:PUBLISH\r\n"), std::string::npos);
    EXPECT_NE(text.find("\r\nDTSTART:20261214T143000Z\r\n"), std::string::npos);
    EXPECT_NE(text.find("\r\nDTEND:20261214T144500Z\r\n"), std::string::npos);
    EXPECT_NE(text.find("\r\nUID:4b1c@visioguichet\r\n"), std::string::npos);
    EXPECT_NE(text.find("\r\nSEQUENCE:2\r\n"), std::string::npos);
    EXPECT_NE(text.find("\r\nSTATUS:CONFIRMED\r\n"), std::string::npos);
    EXPECT_EQ(text.substr(text.size() - 15), "END:VCALENDAR\r\n");
}

TEST(CalendarEventTest, CancelledEventSaysSo) {
    CalendarEvent e;
    e.cancelled = true;
    auto text = e.render();
    EXPECT_NE(text.find("\r\nMETHOD:CANCEL\r\n"), std::string::npos);
    EXPECT_NE(text.find("\r\nSTATUS:CANCELLED\r\n"), std::string::npos);
}

TEST(CalendarEventTest, TextIsEscapedAndLongLinesFoldedAt75OctetsWithoutCuttingACharacter) {
    EXPECT_EQ(CalendarEvent::escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    CalendarEvent e;
    e.description = std::string(60, 'x') + "ééééééééééééééééééééééééééééééé";
    auto text = e.render();
    for (std::size_t line = 0, next; line < text.size(); line = next + 2) {
        next = text.find("\r\n", line);
        ASSERT_LE(next - line, 75u);
        // A continuation line never starts inside a UTF-8 sequence.
        if (text[line] == ' ') {
            EXPECT_NE(static_cast<unsigned char>(text[line + 1]) & 0xC0, 0x80);
        }
    }
    std::string unfolded;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, "\r\n ") == 0) {
            i += 2;
            continue;
        }
        unfolded += text[i];
    }
    EXPECT_NE(unfolded.find("DESCRIPTION:" + e.description + "\r\n"), std::string::npos);
}

}  // namespace vg::test
