#include <gtest/gtest.h>

#include <set>

#include "domain/CheckInCode.hpp"

namespace vg::domain {

TEST(CheckInCode, GeneratedCodesUseOnlyTheUnambiguousAlphabet) {
    std::set<std::string> seen;
    for (int i = 0; i < 500; ++i) {
        auto code = CheckInCode::generate();
        ASSERT_EQ(code.size(), 6u);
        EXPECT_EQ(code.find_first_of("01OIL"), std::string::npos) << code;
        EXPECT_EQ(CheckInCode::normalize(code), code);
        seen.insert(code);
    }
    EXPECT_GT(seen.size(), 495u);
}

TEST(CheckInCode, NormalizeAcceptsWhatPeopleType) {
    EXPECT_EQ(CheckInCode::normalize("abc 234"), "ABC234");
    EXPECT_EQ(CheckInCode::normalize("ABC-234"), "ABC234");
}

TEST(CheckInCode, NormalizeRefusesImpossibleCodes) {
    EXPECT_FALSE(CheckInCode::normalize(""));
    EXPECT_FALSE(CheckInCode::normalize("ABC23"));
    EXPECT_FALSE(CheckInCode::normalize("ABC2345"));
    EXPECT_FALSE(CheckInCode::normalize("ABC10O"));
    EXPECT_FALSE(CheckInCode::normalize("AB'; --"));
    EXPECT_FALSE(CheckInCode::normalize("ABC23\xc3\xa9"));
    EXPECT_FALSE(CheckInCode::normalize(std::string(100, ' ') + "ABC234"));
}

}  // namespace vg::domain
