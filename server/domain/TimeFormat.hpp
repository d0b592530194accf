#pragma once
// The textual forms of time in the API: instants in RFC 3339, local dates "YYYY-MM-DD" and local
// times of day "HH:MM" in a site's time zone. Strict: anything ambiguous or impossible is refused.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vg::domain {

using Instant = std::chrono::sys_time<std::chrono::microseconds>;

class TimeFormat {
  public:
    // "2026-12-01T14:30:00Z", "2026-12-01T09:30:00-05:00", optional fraction (up to 9 digits,
    // kept to microseconds). Lower-case 't'/'z' accepted as RFC 3339 allows. Years 1970-9999.
    static std::optional<Instant> parse_instant(std::string_view text);
    // "2026-12-01T14:30:00Z", with ".ffffff" only when the instant has a fraction.
    static std::string format_instant(Instant instant);
    // A real calendar date "YYYY-MM-DD" (no 2026-02-30).
    static std::optional<std::chrono::year_month_day> parse_date(std::string_view text);
    static std::string format_date(std::chrono::year_month_day date);
    // "HH:MM" as minutes since midnight, 0..1439; "24:00" (1440) only when allow_end_of_day.
    static std::optional<int> parse_time_of_day(std::string_view text, bool allow_end_of_day);
    static std::string format_time_of_day(int minutes);
};

}  // namespace vg::domain
