#include <gtest/gtest.h>

#include "common/Secret.hpp"
#include "desk/PasswordHash.hpp"

namespace vg::desk {
namespace {

const Argon2Parameters kCheap{1024, 1, 1};

TEST(PasswordHash, Argon2idVerifiesOnlyTheRightPassword) {
    auto stored = PasswordHash::make("correct horse", kCheap);
    EXPECT_EQ(stored.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << stored;
    EXPECT_TRUE(PasswordHash::verify("correct horse", stored));
    EXPECT_FALSE(PasswordHash::verify("correct horsf", stored));
    EXPECT_FALSE(PasswordHash::verify("", stored));
    EXPECT_NE(PasswordHash::make("same", kCheap), PasswordHash::make("same", kCheap));
}

TEST(PasswordHash, OlderPbkdf2HashesVerifyAndAskForARehash) {
    auto old = common::secret::hash_password("pw", 1000);
    EXPECT_TRUE(PasswordHash::verify("pw", old));
    EXPECT_FALSE(PasswordHash::verify("px", old));
    EXPECT_TRUE(PasswordHash::needs_rehash(old, kCheap));
    auto current = PasswordHash::make("pw", kCheap);
    EXPECT_FALSE(PasswordHash::needs_rehash(current, kCheap));
    EXPECT_TRUE(PasswordHash::needs_rehash(current, Argon2Parameters{}));
}

TEST(PasswordHash, MalformedOrCostlyStringsNeverVerify) {
    auto good = PasswordHash::make("pw", kCheap);
    auto tail = good.substr(good.rfind("p=1$") + 3);
    EXPECT_FALSE(PasswordHash::verify("pw", ""));
    EXPECT_FALSE(PasswordHash::verify("pw", "$argon2i$v=19$m=1024,t=1,p=1" + tail));
    EXPECT_FALSE(PasswordHash::verify("pw", "$argon2id$v=19$m=4194304,t=1,p=1" + tail));
    EXPECT_FALSE(PasswordHash::verify("pw", "$argon2id$v=19$m=1024,t=99,p=1" + tail));
    EXPECT_FALSE(PasswordHash::verify("pw", "$argon2id$v=19$m=1024,t=1" + tail));
    EXPECT_FALSE(PasswordHash::verify("pw", "$argon2id$v=19$m=1024,t=1,p=1$$"));
    EXPECT_FALSE(PasswordHash::verify("pw", good + "x"));
    EXPECT_THROW(PasswordHash::make("pw", Argon2Parameters{1 << 30, 1, 1}), std::invalid_argument);
}

}  // namespace
}  // namespace vg::desk
