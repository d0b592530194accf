#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <array>
#include <cstring>

#include "rtc/stun/Message.hpp"
#include "rtc/stun/MessageWriter.hpp"
#include "unit/rtc/stun/Hex.hpp"

namespace vg::rtc::stun {
namespace {

constexpr std::array<uint8_t, 12> kTransaction = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                                                  0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
constexpr std::string_view kPassword = "VOkJxbRl1RmTxUk/WvJxBt";

sockaddr_storage address(const char* ip, uint16_t port) {
    sockaddr_storage storage{};
    if (std::strchr(ip, ':') != nullptr) {
        sockaddr_in6 in6{};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(port);
        inet_pton(AF_INET6, ip, &in6.sin6_addr);
        std::memcpy(&storage, &in6, sizeof in6);
    } else {
        sockaddr_in in{};
        in.sin_family = AF_INET;
        in.sin_port = htons(port);
        inet_pton(AF_INET, ip, &in.sin_addr);
        std::memcpy(&storage, &in, sizeof in);
    }
    return storage;
}

TEST(StunMessageWriter, WritesTheRfc5769Ipv4ResponseAddressAndValidHashes) {
    std::array<uint8_t, 200> buffer{};
    MessageWriter w(buffer, Method::Binding, Class::SuccessResponse, kTransaction);
    w.add_software("test vector");
    const auto mapped = address("192.0.2.1", 32853);
    w.add_xor_mapped_address(reinterpret_cast<const sockaddr*>(&mapped));
    w.add_message_integrity(kPassword);
    w.add_fingerprint();
    const size_t size = w.finish();
    // Same layout and size as the RFC's sample (which differs only in the SOFTWARE padding).
    ASSERT_EQ(size, 0x3cU + 20);
    const auto expected = test::hex("01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), buffer.begin()));
    const auto xorAddress = test::hex("00 20 00 08 00 01 a1 47 e1 12 a6 43");
    EXPECT_TRUE(std::equal(xorAddress.begin(), xorAddress.end(), buffer.begin() + 36));

    const auto m = Message::parse(std::span(buffer).first(size));
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->check_message_integrity(kPassword));
    EXPECT_TRUE(m->check_fingerprint());
}

TEST(StunMessageWriter, WritesTheRfc5769Ipv6Address) {
    std::array<uint8_t, 200> buffer{};
    MessageWriter w(buffer, Method::Binding, Class::SuccessResponse, kTransaction);
    const auto mapped = address("2001:db8:1234:5678:11:2233:4455:6677", 32853);
    w.add_xor_mapped_address(reinterpret_cast<const sockaddr*>(&mapped));
    const size_t size = w.finish();
    ASSERT_EQ(size, 20U + 24U);
    const auto expected =
        test::hex("00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9");
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), buffer.begin() + 20));
}

TEST(StunMessageWriter, BuildsARequestTheParserReadsBack) {
    std::array<uint8_t, 200> buffer{};
    MessageWriter w(buffer, Method::Binding, Class::Request, kTransaction);
    w.add_username("abcd:efgh");
    w.add_priority(0x6e0001ff);
    w.add_ice_controlling(0x0102030405060708ULL);
    w.add_use_candidate();
    w.add_message_integrity(kPassword);
    w.add_fingerprint();
    const size_t size = w.finish();
    ASSERT_GT(size, 0U);
    const auto m = Message::parse(std::span(buffer).first(size));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->message_class(), Class::Request);
    EXPECT_EQ(m->username(), "abcd:efgh");
    EXPECT_EQ(m->priority(), 0x6e0001ffU);
    EXPECT_EQ(m->ice_controlling(), 0x0102030405060708ULL);
    EXPECT_TRUE(m->use_candidate());
    EXPECT_TRUE(m->check_message_integrity(kPassword));
    EXPECT_TRUE(m->check_fingerprint());
}

TEST(StunMessageWriter, BuildsAnErrorResponse) {
    std::array<uint8_t, 200> buffer{};
    MessageWriter w(buffer, Method::Binding, Class::ErrorResponse, kTransaction);
    w.add_error_code(487, "Role Conflict");
    w.add_message_integrity(kPassword);
    w.add_fingerprint();
    const auto m = Message::parse(std::span(buffer).first(w.finish()));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->message_class(), Class::ErrorResponse);
    ASSERT_TRUE(m->error_code());
    EXPECT_EQ(m->error_code()->code, 487);
    EXPECT_EQ(m->error_code()->reason, "Role Conflict");
    EXPECT_TRUE(m->check_message_integrity(kPassword));
}

TEST(StunMessageWriter, FailsCleanlyWhenTheBufferIsTooSmall) {
    std::array<uint8_t, 40> buffer{};
    MessageWriter w(buffer, Method::Binding, Class::Request, kTransaction);
    w.add_username("a-rather-long-username:that-does-not-fit");
    w.add_fingerprint();
    EXPECT_FALSE(w.ok());
    EXPECT_EQ(w.finish(), 0U);
}

}  // namespace
}  // namespace vg::rtc::stun
