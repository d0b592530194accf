// Known answers from the standards, so a wrong digest, key handling or hex encoding shows here
// and not as a token nobody can look up or a migration that "changed".
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/Crypto.hpp"

namespace vg::common::crypto {
namespace {

std::string hex_of(std::span<const std::uint8_t> bytes) {
    return to_hex(bytes);
}

// FIPS 180-2, appendix B (and the empty message).
TEST(Crypto, Sha256MatchesTheStandardsVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    EXPECT_EQ(hex_of(sha256("abc")), sha256_hex("abc"));
}

// RFC 4231, test cases 1, 2, 3, 6 and 7 (case 6 and 7: a key longer than the block).
TEST(Crypto, HmacSha256MatchesRfc4231) {
    EXPECT_EQ(hex_of(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(hex_of(hmac_sha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(hex_of(hmac_sha256(std::string(20, '\xaa'), std::string(50, '\xdd'))),
              "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    const std::string long_key(131, '\xaa');
    EXPECT_EQ(
        hex_of(hmac_sha256(long_key, "Test Using Larger Than Block-Size Key - Hash Key First")),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    EXPECT_EQ(hex_of(hmac_sha256(long_key,
                                 "This is a test using a larger than block-size key and a larger "
                                 "than block-size data. The key needs to be hashed before being "
                                 "used by the HMAC algorithm.")),
              "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

// RFC 2202, test cases 1 and 2 (what TURN's REST credentials use).
TEST(Crypto, HmacSha1MatchesRfc2202) {
    EXPECT_EQ(hex_of(hmac_sha1(std::string(20, '\x0b'), "Hi There")),
              "b617318655057264e28bc0b6fb378c8ef146be00");
    EXPECT_EQ(hex_of(hmac_sha1("Jefe", "what do ya want for nothing?")),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(Crypto, HexIsLowercaseTwoDigitsPerByte) {
    const std::uint8_t bytes[] = {0x00, 0x0f, 0xa0, 0xff};
    EXPECT_EQ(to_hex(bytes), "000fa0ff");
    EXPECT_EQ(to_hex({}), "");
}

TEST(Crypto, RandomBytesHaveTheAskedSizeAndDoNotRepeat) {
    EXPECT_EQ(random_bytes(0), "");
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        auto bytes = random_bytes(16);
        ASSERT_EQ(bytes.size(), 16u);
        seen.insert(bytes);
    }
    EXPECT_EQ(seen.size(), 100u);  // 128 random bits: a repeat means no randomness
    std::array<std::uint8_t, 64> buffer{};
    fill_random(buffer);
    // Every byte zero after filling 64 bytes: 2^-512 if the generator works.
    EXPECT_NE(hex_of(buffer), std::string(128, '0'));
    std::set<std::uint64_t> values;
    for (int i = 0; i < 100; ++i) values.insert(random_integer<std::uint64_t>());
    EXPECT_EQ(values.size(), 100u);
}

}  // namespace
}  // namespace vg::common::crypto
