#include "domain/TimeFormat.hpp"

#include <cstdio>

namespace vg::domain {

using namespace std::chrono;

namespace {

// n decimal digits at text[pos...]; -1 when any is not a digit or the text is too short.
int digits(std::string_view text, std::size_t pos, std::size_t n) {
    if (pos + n > text.size()) return -1;
    int value = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (text[i] < '0' || text[i] > '9') return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

}  // namespace

std::optional<year_month_day> TimeFormat::parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    int y = digits(text, 0, 4), m = digits(text, 5, 2), d = digits(text, 8, 2);
    if (y < 1970 || m < 1 || d < 1) return std::nullopt;
    year_month_day date{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!date.ok()) return std::nullopt;
    return date;
}

std::string TimeFormat::format_date(year_month_day date) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buffer;
}

std::optional<int> TimeFormat::parse_time_of_day(std::string_view text, bool allow_end_of_day) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    int h = digits(text, 0, 2), m = digits(text, 3, 2);
    if (h < 0 || m < 0 || m > 59) return std::nullopt;
    if (h == 24 && m == 0 && allow_end_of_day) return 1440;
    if (h > 23) return std::nullopt;
    return h * 60 + m;
}

std::string TimeFormat::format_time_of_day(int minutes) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%02d:%02d", minutes / 60, minutes % 60);
    return buffer;
}

std::optional<Instant> TimeFormat::parse_instant(std::string_view text) {
    if (text.size() < 20 || text.size() > 40) return std::nullopt;
    auto date = parse_date(text.substr(0, 10));
    if (!date || (text[10] != 'T' && text[10] != 't')) return std::nullopt;
    int h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
    if (text[13] != ':' || text[16] != ':' || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 ||
        s > 59)
        return std::nullopt;  // leap seconds (":60") are not used by anyone booking a counter
    std::size_t pos = 19;
    microseconds fraction{0};
    if (text[pos] == '.') {
        std::size_t start = ++pos;
        long long micros = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (pos - start < 6) micros = micros * 10 + (text[pos] - '0');
            ++pos;
        }
        std::size_t n = pos - start;
        if (n == 0 || n > 9) return std::nullopt;
        for (std::size_t i = n; i < 6; ++i) micros *= 10;
        fraction = microseconds{micros};
    }
    if (pos >= text.size()) return std::nullopt;
    minutes offset{0};
    if ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) {
    } else if ((text[pos] == '+' || text[pos] == '-') && pos + 6 == text.size() &&
               text[pos + 3] == ':') {
        int oh = digits(text, pos + 1, 2), om = digits(text, pos + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
        offset = minutes{oh * 60 + om};
        if (text[pos] == '-') offset = -offset;
    } else {
        return std::nullopt;
    }
    auto local = sys_days{*date} + hours{h} + minutes{mi} + seconds{s} + fraction;
    return Instant{local - offset};
}

std::string TimeFormat::format_instant(Instant instant) {
    auto day_point = floor<days>(instant);
    year_month_day date{day_point};
    hh_mm_ss<microseconds> time{instant - day_point};
    char buffer[96];
    int n = std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02d", format_date(date).c_str(),
                          static_cast<int>(time.hours().count()),
                          static_cast<int>(time.minutes().count()),
                          static_cast<int>(time.seconds().count()));
    if (time.subseconds().count() != 0)
        std::snprintf(buffer + n, sizeof buffer - static_cast<std::size_t>(n), ".%06lld",
                      static_cast<long long>(time.subseconds().count()));
    return std::string(buffer) + "Z";
}

}  // namespace vg::domain
