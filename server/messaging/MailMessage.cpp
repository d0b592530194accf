#include "messaging/MailMessage.hpp"

#include <array>
#include <chrono>
#include <stdexcept>

#include "common/Secret.hpp"

namespace vg::messaging {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Standard base64 with padding (RFC 2045 section 6.8), unwrapped.
std::string base64(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
    }
    return out;
}

// A body part's content in base64 lines of 76 characters (RFC 2045's limit): transport-safe for
// any UTF-8, and no line can look like a boundary or SMTP's end of data.
std::string base64_lines(std::string_view bytes) {
    auto flat = base64(bytes);
    std::string out;
    for (std::size_t i = 0; i < flat.size(); i += 76) out.append(flat, i, 76).append("\r\n");
    return out;
}

void require_one_line(std::string_view name, std::string_view value) {
    if (value.find_first_of("\r\n") != std::string_view::npos)
        throw std::invalid_argument(std::string(name) + " must not hold a line break");
}

// The UTF-8 sequence that starts at text[i] is this long (1 for a stray byte).
std::size_t sequence_length(std::string_view text, std::size_t i) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return std::min(n, text.size() - i);
}

// Text parts say what their bytes are; our templates end lines with \n, e-mail wants CRLF.
std::string crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 40);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
        out += text[i];
    }
    return out;
}

}  // namespace

std::string MailMessage::address_of(std::string_view mailbox) {
    auto open = mailbox.rfind('<');
    auto close = mailbox.rfind('>');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open)
        return std::string(mailbox.substr(open + 1, close - open - 1));
    return std::string(mailbox);
}

std::string MailMessage::encode_header_words(std::string_view text, std::size_t used) {
    bool plain = text.find("=?") == std::string_view::npos;
    for (char c : text) plain = plain && c >= 0x20 && c < 0x7F;
    if (plain) return std::string(text);
    // RFC 2047 section 2: an encoded word is at most 75 characters; "=?UTF-8?B?" and "?=" take
    // 12, which leaves 63 base64 characters, 45 bytes, never cutting a UTF-8 sequence (section 5).
    // The first word shares its line with the header's name: fewer bytes, so that line stays
    // within 78 characters too (RFC 5322 section 2.1.1).
    constexpr std::size_t kBytesPerWord = 45;
    std::size_t room = used + 12 < 76 ? std::min(kBytesPerWord, (76 - used - 12) / 4 * 3) : 3;
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = start;
        while (end < text.size()) {
            auto n = sequence_length(text, end);
            if (end + n - start > room && end > start) break;
            end += n;
        }
        room = kBytesPerWord;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(text.substr(start, end - start)) + "?=";
        start = end;
    }
    return out;
}

std::string MailMessage::format_date(domain::Instant instant) {
    using namespace std::chrono;
    static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                         "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto day = floor<days>(instant);
    year_month_day ymd{day};
    hh_mm_ss time{floor<seconds>(instant - day)};
    char text[40];
    std::snprintf(text, sizeof text, "%s, %02u %s %d %02d:%02d:%02d +0000",
                  kDays[weekday{day}.c_encoding()], static_cast<unsigned>(ymd.day()),
                  kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return text;
}

std::string MailMessage::render() const {
    require_one_line("from", from);
    require_one_line("to", to);
    require_one_line("message_id", message_id);
    for (const auto& a : attachments) {
        require_one_line("attachment filename", a.filename);
        require_one_line("attachment content type", a.content_type);
    }
    // Random boundaries: no body can hold them by chance, and "=_" never starts a base64 line.
    const std::string mixed = "=_mixed_" + common::secret::random_token(12);
    const std::string alternative = "=_alt_" + common::secret::random_token(12);
    std::string out;
    out += "From: " + from + "\r\n";
    out += "To: " + to + "\r\n";
    out += "Subject: " + encode_header_words(subject, 9) + "\r\n";
    out += "Date: " + format_date(date) + "\r\n";
    out += "Message-ID: " + message_id + "\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n";
    out += "--" + mixed + "\r\n";
    out += "Content-Type: multipart/alternative; boundary=\"" + alternative + "\"\r\n\r\n";
    out += "--" + alternative + "\r\n";
    out += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    out += base64_lines(crlf(text));
    out += "--" + alternative + "\r\n";
    out += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    out += base64_lines(crlf(html));
    out += "--" + alternative + "--\r\n";
    for (const auto& a : attachments) {
        out += "--" + mixed + "\r\n";
        out += "Content-Type: " + a.content_type + "\r\n";
        out += "Content-Disposition: attachment; filename=\"" + a.filename + "\"\r\n";
        out += "Content-Transfer-Encoding: base64\r\n\r\n";
        out += base64_lines(a.content);
    }
    out += "--" + mixed + "--\r\n";
    return out;
}

}  // namespace vg::messaging
