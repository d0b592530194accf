// messaging::MailMessage: what a mail reader sees in the headers and parts.
#include <gtest/gtest.h>

#include "messaging/MailMessage.hpp"

namespace vg::test {

using messaging::MailMessage;

namespace {

domain::Instant at(std::string_view text) {
    return *domain::TimeFormat::parse_instant(text);
}

MailMessage sample() {
    MailMessage m;
    m.from = "Visioguichet <rendez-vous@example.org>";
    m.to = "camille@example.org";
    m.subject = "Votre rendez-vous du lundi 14 décembre à 9 h 30";
    m.text = "Bonjour,\nvotre code : AB12CD\n";
    m.html = "<p>Bonjour</p>\n";
    m.message_id = "<0b7e-1@example.org>";
    m.date = at("2026-12-07T22:05:09Z");
    m.attachments.push_back({"rendez-vous.ics", "text/calendar; charset=UTF-8", "BEGIN:VCALENDAR"});
    return m;
}

}  // namespace

TEST(MailMessageTest, AsciiSubjectStaysAsWritten) {
    EXPECT_EQ(MailMessage::encode_header_words("Your appointment"), "Your appointment");
}

TEST(MailMessageTest, AccentsBecomeUtf8EncodedWordsOfAtMost75Characters) {
    auto words = MailMessage::encode_header_words(
        "Votre rendez-vous du lundi 14 décembre 2026 à 9 h 30 — Bureau municipal de Nicolet");
    EXPECT_EQ(words.rfind("=?UTF-8?B?", 0), 0u);
    std::size_t start = 0;
    int count = 0;
    while (start < words.size()) {
        auto end = words.find("\r\n ", start);
        auto word = words.substr(start, end == std::string::npos ? std::string::npos : end - start);
        EXPECT_LE(word.size(), 75u) << word;
        EXPECT_EQ(word.substr(word.size() - 2), "?=");
        ++count;
        start = end == std::string::npos ? words.size() : end + 3;
    }
    EXPECT_GE(count, 2);
    // "é" is 0xC3 0xA9: one word ends before it or after it, never between.
    EXPECT_EQ(MailMessage::encode_header_words("é"), "=?UTF-8?B?w6k=?=");
}

TEST(MailMessageTest, DateIsRfc5322InUtc) {
    EXPECT_EQ(MailMessage::format_date(at("2026-12-07T22:05:09Z")),
              "Mon, 07 Dec 2026 22:05:09 +0000");
}

TEST(MailMessageTest, RenderedMessageHasTheHeadersAndOnlyCrlfLineEnds) {
    auto text = sample().render();
    EXPECT_NE(text.find("From: Visioguichet <rendez-vous@example.org>\r\n"), std::string::npos);
    EXPECT_NE(text.find("To: camille@example.org\r\n"), std::string::npos);
    EXPECT_NE(text.find("Subject: =?UTF-8?B?"), std::string::npos);
    EXPECT_NE(text.find("Date: Mon, 07 Dec 2026 22:05:09 +0000\r\n"), std::string::npos);
    EXPECT_NE(text.find("Message-ID: <0b7e-1@example.org>\r\n"), std::string::npos);
    EXPECT_NE(text.find("Content-Type: multipart/alternative"), std::string::npos);
    EXPECT_NE(text.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
    EXPECT_NE(text.find("Content-Type: text/html; charset=UTF-8"), std::string::npos);
    EXPECT_NE(text.find("filename=\"rendez-vous.ics\""), std::string::npos);
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n') {
            ASSERT_EQ(text[i - 1], '\r') << "bare LF at " << i;
        }
    for (std::size_t line = 0, next; line < text.size(); line = next + 2) {
        next = text.find("\r\n", line);
        ASSERT_LE(next - line, 78u) << text.substr(line, next - line);
    }
}

TEST(MailMessageTest, LineBreakInAHeaderIsRefused) {
    auto m = sample();
    m.to = "camille@example.org\r\nBcc: everyone@example.org";
    EXPECT_THROW(m.render(), std::invalid_argument);
}

TEST(MailMessageTest, EnvelopeAddressComesFromTheMailbox) {
    EXPECT_EQ(MailMessage::address_of("Visioguichet <rdv@example.org>"), "rdv@example.org");
    EXPECT_EQ(MailMessage::address_of("rdv@example.org"), "rdv@example.org");
}

}  // namespace vg::test
