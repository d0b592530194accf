#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>

#include "rtc/stun/Message.hpp"
#include "unit/rtc/stun/Hex.hpp"

namespace vg::rtc::stun {
namespace {

using test::hex;

// RFC 5769, 2.1 (its padding bytes are 0x20 on purpose).
const auto kRequest =
    hex("00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
        "80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74"
        "00 24 00 04 6e 00 01 ff 80 29 00 08 93 2f f9 b1 51 26 3b 36"
        "00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20"
        "00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2"
        "80 28 00 04 e5 7a 3b cf");
// RFC 5769, 2.2.
const auto kIpv4Response =
    hex("01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
        "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
        "00 20 00 08 00 01 a1 47 e1 12 a6 43"
        "00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7"
        "80 28 00 04 c0 7d 4c 96");
// RFC 5769, 2.3.
const auto kIpv6Response =
    hex("01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
        "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
        "00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9"
        "00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41"
        "80 28 00 04 c8 fb 0b 4c");
constexpr std::string_view kPassword = "VOkJxbRl1RmTxUk/WvJxBt";

TEST(StunMessage, ParsesTheRfc5769SampleRequest) {
    const auto m = Message::parse(kRequest);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->method(), Method::Binding);
    EXPECT_EQ(m->message_class(), Class::Request);
    EXPECT_EQ(m->username(), "evtj:h6vY");
    EXPECT_EQ(m->priority(), 0x6e0001ffU);
    EXPECT_EQ(m->ice_controlled(), 0x932ff9b151263b36ULL);
    EXPECT_FALSE(m->ice_controlling());
    EXPECT_FALSE(m->use_candidate());
    EXPECT_EQ(m->transaction_id()[0], 0xb7);
    EXPECT_EQ(m->transaction_id()[11], 0xae);
    EXPECT_TRUE(m->check_message_integrity(kPassword));
    EXPECT_FALSE(m->check_message_integrity("VOkJxbRl1RmTxUk/WvJxBu"));
    EXPECT_TRUE(m->check_fingerprint());
}

TEST(StunMessage, ParsesTheRfc5769Ipv4Response) {
    const auto m = Message::parse(kIpv4Response);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->message_class(), Class::SuccessResponse);
    EXPECT_TRUE(m->check_message_integrity(kPassword));
    EXPECT_TRUE(m->check_fingerprint());
    const auto address = m->xor_mapped_address();
    ASSERT_TRUE(address);
    ASSERT_EQ(address->ss_family, AF_INET);
    sockaddr_in in{};
    std::memcpy(&in, &*address, sizeof in);
    EXPECT_EQ(ntohs(in.sin_port), 32853);
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
    EXPECT_STREQ(text, "192.0.2.1");
}

TEST(StunMessage, ParsesTheRfc5769Ipv6Response) {
    const auto m = Message::parse(kIpv6Response);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->check_message_integrity(kPassword));
    EXPECT_TRUE(m->check_fingerprint());
    const auto address = m->xor_mapped_address();
    ASSERT_TRUE(address);
    ASSERT_EQ(address->ss_family, AF_INET6);
    sockaddr_in6 in6{};
    std::memcpy(&in6, &*address, sizeof in6);
    EXPECT_EQ(ntohs(in6.sin6_port), 32853);
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
    EXPECT_STREQ(text, "2001:db8:1234:5678:11:2233:4455:6677");
}

TEST(StunMessage, AnyFlippedByteFailsIntegrityOrFingerprint) {
    for (size_t i = 20; i < kRequest.size(); ++i) {
        auto copy = kRequest;
        copy[i] ^= 0x01;
        const auto m = Message::parse(copy);
        if (!m) {
            continue;  // framing broken: rejected outright
        }
        EXPECT_FALSE(m->check_message_integrity(kPassword) && m->check_fingerprint()) << i;
    }
}

TEST(StunMessage, RejectsBadFraming) {
    auto shortLength = kRequest;
    shortLength[3] = 0x54;  // length says 84, datagram holds 88
    EXPECT_FALSE(Message::parse(shortLength));
    auto badCookie = kRequest;
    badCookie[4] = 0x22;
    EXPECT_FALSE(Message::parse(badCookie));
    auto rtpLike = kRequest;
    rtpLike[0] = 0x80;
    EXPECT_FALSE(Message::parse(rtpLike));
    EXPECT_FALSE(Message::parse(std::span(kRequest).first(19)));
    // Attribute running past the end.
    auto overrun = kRequest;
    overrun[20 + 3] = 0x40;
    EXPECT_FALSE(Message::parse(overrun));
    // PRIORITY of the wrong size.
    auto badPriority = kRequest;
    badPriority[40 + 3] = 0x03;
    EXPECT_FALSE(Message::parse(badPriority));
}

TEST(StunMessage, RejectsAttributesAfterFingerprint) {
    auto extended = kRequest;
    const std::vector<uint8_t> use_candidate = {0x00, 0x25, 0x00, 0x00};
    extended.insert(extended.end(), use_candidate.begin(), use_candidate.end());
    extended[3] = static_cast<uint8_t>(extended[3] + 4);
    EXPECT_FALSE(Message::parse(extended));
}

TEST(StunMessage, LooksLikeStunOnlyForStunDatagrams) {
    EXPECT_TRUE(Message::looks_like_stun(kRequest));
    const std::vector<uint8_t> rtp(40, 0x80);
    EXPECT_FALSE(Message::looks_like_stun(rtp));
}

}  // namespace
}  // namespace vg::rtc::stun
