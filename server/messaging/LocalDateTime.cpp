#include "messaging/LocalDateTime.hpp"

#include <array>

namespace vg::messaging {

namespace {

constexpr std::array<const char*, 7> kDaysFr = {"lundi",    "mardi",  "mercredi", "jeudi",
                                                "vendredi", "samedi", "dimanche"};
constexpr std::array<const char*, 7> kDaysEn = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                "Friday", "Saturday", "Sunday"};
constexpr std::array<const char*, 12> kMonthsFr = {"janvier",   "février", "mars",     "avril",
                                                   "mai",       "juin",    "juillet",  "août",
                                                   "septembre", "octobre", "novembre", "décembre"};
constexpr std::array<const char*, 12> kMonthsEn = {"January",   "February", "March",    "April",
                                                   "May",       "June",     "July",     "August",
                                                   "September", "October",  "November", "December"};

template <typename Table>
const char* pick(const Table& table, int one_based) {
    auto i = static_cast<std::size_t>(one_based - 1);
    return i < table.size() ? table[i] : "?";
}

std::string two_digits(int n) {
    return (n < 10 ? "0" : "") + std::to_string(n);
}

}  // namespace

std::string LocalDateTime::date_words(std::string_view language) const {
    if (language == "en") {
        return std::string(pick(kDaysEn, weekday)) + ", " + pick(kMonthsEn, month) + " " +
               std::to_string(day) + ", " + std::to_string(year);
    }
    // "1er" for the first of the month, as French writes it.
    return std::string(pick(kDaysFr, weekday)) + " " +
           (day == 1 ? std::string("1er") : std::to_string(day)) + " " + pick(kMonthsFr, month) +
           " " + std::to_string(year);
}

std::string LocalDateTime::short_date_words(std::string_view language) const {
    // The usual abbreviations: the first three letters and a period, except short words
    // (mai, juin, May, June, July) and French months whose cut would end on a vowel.
    static constexpr std::array<const char*, 12> kMonthsFrShort = {
        "janv.",  "févr.", "mars",  "avr.", "mai",  "juin",
        "juill.", "août",  "sept.", "oct.", "nov.", "déc."};
    static constexpr std::array<const char*, 12> kMonthsEnShort = {"Jan.",  "Feb.", "Mar.", "Apr.",
                                                                   "May",   "June", "July", "Aug.",
                                                                   "Sept.", "Oct.", "Nov.", "Dec."};
    if (language == "en") {
        return std::string(pick(kDaysEn, weekday)).substr(0, 3) + ". " +
               pick(kMonthsEnShort, month) + " " + std::to_string(day);
    }
    return std::string(pick(kDaysFr, weekday)).substr(0, 3) + ". " +
           (day == 1 ? std::string("1er") : std::to_string(day)) + " " +
           pick(kMonthsFrShort, month);
}

std::string LocalDateTime::time_words(std::string_view language) const {
    if (language == "en") {
        int twelve = hour % 12 == 0 ? 12 : hour % 12;
        return std::to_string(twelve) + ":" + two_digits(minute) + (hour < 12 ? " a.m." : " p.m.");
    }
    return std::to_string(hour) + " h" + (minute == 0 ? "" : " " + two_digits(minute));
}

}  // namespace vg::messaging
