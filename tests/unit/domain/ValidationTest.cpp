#include <gtest/gtest.h>

#include "domain/Validation.hpp"

namespace vg::domain {

TEST(Validation, Uuids) {
    EXPECT_TRUE(Validation::is_uuid("0f8fad5b-d9cb-469f-a165-70867728950e"));
    EXPECT_TRUE(Validation::is_uuid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
    EXPECT_FALSE(Validation::is_uuid("0f8fad5b-d9cb-469f-a165-70867728950"));
    EXPECT_FALSE(Validation::is_uuid("0f8fad5bd9cb469fa16570867728950e"));
    EXPECT_FALSE(Validation::is_uuid("0f8fad5b-d9cb-469f-a165-70867728950g"));
    EXPECT_FALSE(Validation::is_uuid("' OR 1=1 --"));
}

TEST(Validation, Utf8) {
    EXPECT_TRUE(Validation::is_utf8("Bécancour — 🙂"));
    EXPECT_FALSE(Validation::is_utf8("\xff"));
    EXPECT_FALSE(Validation::is_utf8("\xc3"));              // truncated
    EXPECT_FALSE(Validation::is_utf8("\xc0\xaf"));          // overlong '/'
    EXPECT_FALSE(Validation::is_utf8("\xed\xa0\x80"));      // surrogate
    EXPECT_FALSE(Validation::is_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(Validation::is_utf8("ab\xe2\x82"));        // truncated at the end
}

TEST(Validation, SingleLineLanguageEmail) {
    EXPECT_TRUE(Validation::is_single_line("Jean Tremblay"));
    EXPECT_FALSE(Validation::is_single_line("a\nb"));
    EXPECT_FALSE(Validation::is_single_line(std::string("a\0b", 3)));
    EXPECT_TRUE(Validation::is_language("fr"));
    EXPECT_FALSE(Validation::is_language("FR"));
    EXPECT_FALSE(Validation::is_language("fren"));
    EXPECT_TRUE(Validation::is_email("a@b.c"));
    EXPECT_FALSE(Validation::is_email("a@@b.c"));
    EXPECT_FALSE(Validation::is_email("@b.c"));
    EXPECT_FALSE(Validation::is_email("a b@c.d"));
    EXPECT_EQ(Validation::code_points("é🙂a"), 3u);
}

}  // namespace vg::domain
