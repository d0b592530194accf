// messaging::LocalDateTime: dates and times as the citizen reads them.
#include <gtest/gtest.h>

#include "messaging/LocalDateTime.hpp"

namespace vg::test {

TEST(LocalDateTimeTest, FrenchAndEnglishWording) {
    messaging::LocalDateTime t{2026, 12, 14, 1, 9, 30};
    EXPECT_EQ(t.date_words("fr"), "lundi 14 décembre 2026");
    EXPECT_EQ(t.time_words("fr"), "9 h 30");
    EXPECT_EQ(t.date_words("en"), "Monday, December 14, 2026");
    EXPECT_EQ(t.time_words("en"), "9:30 a.m.");
    messaging::LocalDateTime first{2027, 2, 1, 1, 13, 0};
    EXPECT_EQ(first.date_words("fr"), "lundi 1er février 2027");
    EXPECT_EQ(first.time_words("fr"), "13 h");
    EXPECT_EQ(first.time_words("en"), "1:00 p.m.");
    messaging::LocalDateTime midnight{2027, 2, 7, 7, 0, 5};
    EXPECT_EQ(midnight.time_words("en"), "12:05 a.m.");
    EXPECT_EQ(midnight.date_words("es"), "dimanche 7 février 2027");  // French first
    EXPECT_EQ(t.short_date_words("fr"), "lun. 14 déc.");
    EXPECT_EQ(t.short_date_words("en"), "Mon. Dec. 14");
    EXPECT_EQ(first.short_date_words("fr"), "lun. 1er févr.");
}

}  // namespace vg::test
