#include <gtest/gtest.h>

#include <set>

#include "common/Secret.hpp"

namespace vg::common::secret {

TEST(Secret, RandomTokensAreLongAndDistinct) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        auto token = random_token();
        EXPECT_EQ(token.size(), 43u);  // 256 bits
        EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789-_"),
                  std::string::npos);
        seen.insert(token);
    }
    EXPECT_EQ(seen.size(), 100u);
    EXPECT_EQ(random_token(16).size(), 22u);  // the 128-bit minimum
}

TEST(Secret, RandomBelowCoversTheRangeAndStaysInIt) {
    std::set<std::uint32_t> seen;
    for (int i = 0; i < 2000; ++i) {
        auto v = random_below(31);
        EXPECT_LT(v, 31u);
        seen.insert(v);
    }
    EXPECT_EQ(seen.size(), 31u);
    EXPECT_EQ(random_below(1), 0u);
    EXPECT_THROW(random_below(0), std::invalid_argument);
}

TEST(Secret, TokenHashIsSha256Hex) {
    EXPECT_EQ(token_hash("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(token_hash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Secret, Base64UrlRoundTripsEveryLength) {
    std::string bytes;
    for (int i = 0; i < 40; ++i) {
        auto decoded = base64url_decode(base64url_encode(bytes));
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(*decoded, bytes);
        bytes += static_cast<char>(i * 37 + 250);
    }
    EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Secret, Base64UrlRefusesForeignCharactersAndBadLengths) {
    EXPECT_FALSE(base64url_decode("ab+c").has_value());
    EXPECT_FALSE(base64url_decode("ab/c").has_value());
    EXPECT_FALSE(base64url_decode("abc=").has_value());
    EXPECT_FALSE(base64url_decode("abcde").has_value());
    EXPECT_FALSE(base64url_decode("-_9").has_value());  // non-zero trailing bits
}

TEST(Secret, PasswordHashVerifiesOnlyTheRightPassword) {
    auto stored = hash_password("correct horse", 1000);
    EXPECT_EQ(stored.rfind("pbkdf2-sha256$1000$", 0), 0u);
    EXPECT_TRUE(verify_password("correct horse", stored));
    EXPECT_FALSE(verify_password("correct horsf", stored));
    EXPECT_FALSE(verify_password("", stored));
}

TEST(Secret, PasswordHashesAreSalted) {
    EXPECT_NE(hash_password("same", 1000), hash_password("same", 1000));
}

TEST(Secret, DefaultIterationCountIsHigh) {
    auto stored = hash_password("pw");
    EXPECT_EQ(stored.rfind("pbkdf2-sha256$600000$", 0), 0u);
    EXPECT_TRUE(verify_password("pw", stored));
}

TEST(Secret, KnownPbkdf2Vector) {
    // PBKDF2-HMAC-SHA256("password", "salt", 1000, 32) as computed by Python's hashlib.
    std::string stored =
        "pbkdf2-sha256$1000$" + base64url_encode("salt") + "$" +
        base64url_encode(*base64url_decode("YywoEuRtRgQQK6dhjp1tfS-BKPYma0oDJk0qBGC33LM"));
    EXPECT_TRUE(verify_password("password", stored)) << stored;
}

TEST(Secret, MalformedStoredHashesNeverVerify) {
    auto good = hash_password("pw", 1000);
    EXPECT_FALSE(verify_password("pw", ""));
    EXPECT_FALSE(verify_password("pw", "pbkdf2-sha256$1000$"));
    EXPECT_FALSE(verify_password("pw", "scrypt$1000$AAAA$AAAA"));
    EXPECT_FALSE(verify_password("pw", "pbkdf2-sha256$10$" + good.substr(good.find('$', 15) + 1)));
    EXPECT_FALSE(verify_password("pw", "pbkdf2-sha256$99999999999$AAAA$AAAA"));
    EXPECT_FALSE(verify_password("pw", "pbkdf2-sha256$1000x$AAAA$AAAA"));
    EXPECT_FALSE(verify_password("pw", good + "$extra"));
    EXPECT_THROW(hash_password("pw", 1), std::invalid_argument);
}

TEST(Secret, ConstantTimeEqual) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

TEST(Secret, HmacSha256MatchesRfc4231) {
    // RFC 4231 test case 2.
    auto mac = base64url_decode(hmac_sha256("Jefe", "what do ya want for nothing?"));
    ASSERT_TRUE(mac.has_value());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : *mac) {
        hex += kHex[c >> 4];
        hex += kHex[c & 15];
    }
    EXPECT_EQ(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace vg::common::secret
