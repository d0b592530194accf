#include <gtest/gtest.h>

#include "domain/TimeFormat.hpp"

namespace vg::domain {

using namespace std::chrono;

TEST(TimeFormat, ParsesUtcAndOffsets) {
    auto utc = TimeFormat::parse_instant("2026-12-01T14:30:00Z");
    ASSERT_TRUE(utc);
    EXPECT_EQ(TimeFormat::format_instant(*utc), "2026-12-01T14:30:00Z");
    auto toronto = TimeFormat::parse_instant("2026-12-01T09:30:00-05:00");
    ASSERT_TRUE(toronto);
    EXPECT_EQ(*toronto, *utc);
    auto east = TimeFormat::parse_instant("2026-12-02T00:00:00+09:30");
    ASSERT_TRUE(east);
    EXPECT_EQ(TimeFormat::format_instant(*east), "2026-12-01T14:30:00Z");
}

TEST(TimeFormat, KeepsFractionsToTheMicrosecond) {
    auto t = TimeFormat::parse_instant("2026-12-01T14:30:00.1234567Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(TimeFormat::format_instant(*t), "2026-12-01T14:30:00.123456Z");
}

TEST(TimeFormat, RefusesImpossibleOrSloppyInstants) {
    for (const char* bad :
         {"", "2026-12-01", "2026-12-01 14:30:00Z", "2026-12-01T14:30:00", "2026-02-30T10:00:00Z",
          "2026-12-01T24:00:00Z", "2026-12-01T14:60:00Z", "2026-12-01T14:30:60Z",
          "2026-12-01T14:30:00+5:00", "2026-12-01T14:30:00.Z", "2026-13-01T14:30:00Z",
          "1969-12-31T23:59:59Z", "2026-12-01T14:30:00Z'; DROP TABLE sites; --",
          "+2026-12-01T14:30:00Z"}) {
        EXPECT_FALSE(TimeFormat::parse_instant(bad)) << bad;
    }
}

TEST(TimeFormat, Dates) {
    auto d = TimeFormat::parse_date("2028-02-29");
    ASSERT_TRUE(d);
    EXPECT_EQ(TimeFormat::format_date(*d), "2028-02-29");
    EXPECT_FALSE(TimeFormat::parse_date("2026-02-29"));
    EXPECT_FALSE(TimeFormat::parse_date("2026-1-01"));
    EXPECT_FALSE(TimeFormat::parse_date("2026-01-00"));
    EXPECT_FALSE(TimeFormat::parse_date("20260101"));
}

TEST(TimeFormat, TimesOfDay) {
    EXPECT_EQ(TimeFormat::parse_time_of_day("09:30", false), 570);
    EXPECT_EQ(TimeFormat::parse_time_of_day("00:00", false), 0);
    EXPECT_EQ(TimeFormat::parse_time_of_day("24:00", true), 1440);
    EXPECT_FALSE(TimeFormat::parse_time_of_day("24:00", false));
    EXPECT_FALSE(TimeFormat::parse_time_of_day("24:01", true));
    EXPECT_FALSE(TimeFormat::parse_time_of_day("9:30", false));
    EXPECT_FALSE(TimeFormat::parse_time_of_day("09:60", false));
    EXPECT_EQ(TimeFormat::format_time_of_day(570), "09:30");
    EXPECT_EQ(TimeFormat::format_time_of_day(1440), "24:00");
}

}  // namespace vg::domain
