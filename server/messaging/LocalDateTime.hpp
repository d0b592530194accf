#pragma once
// A wall-clock time at the site (PostgreSQL turns the instant into it with the site's zone), said
// as a citizen reads it: "lundi 14 décembre 2026" and "9 h 30" in French (the Office québécois
// de la langue française's usage), "Monday, December 14, 2026" and "9:30 a.m." in English.
#include <string>
#include <string_view>

namespace vg::messaging {

struct LocalDateTime {
    int year = 1970;
    int month = 1;    // 1-12
    int day = 1;      // 1-31
    int weekday = 1;  // ISO: Monday = 1 ... Sunday = 7
    int hour = 0;
    int minute = 0;

    // Any language other than "en" is said in French (French first).
    std::string date_words(std::string_view language) const;
    std::string time_words(std::string_view language) const;
    // For an SMS: "lun. 14 déc." or "Mon. Dec. 14".
    std::string short_date_words(std::string_view language) const;
};

}  // namespace vg::messaging
