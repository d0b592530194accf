#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "rtc/sctp/DcepMessage.hpp"

namespace vg::rtc::sctp {
namespace {

// DATA_CHANNEL_OPEN as Chromium sends it for createDataChannel('chat'): reliable, ordered,
// priority 256, no protocol.
const std::vector<std::uint8_t> chromium_open{0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
                                              0x00, 0x04, 0x00, 0x00, 'c',  'h',  'a',  't'};

TEST(DcepMessageTest, ParsesTheOpenOfABrowser) {
    const auto message = DcepMessage::parse(chromium_open);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->type, DcepMessage::Type::Open);
    EXPECT_EQ(message->channel_type, DcepMessage::ChannelType::Reliable);
    EXPECT_FALSE(message->unordered());
    EXPECT_EQ(message->priority, 256);
    EXPECT_EQ(message->reliability, 0u);
    EXPECT_EQ(message->label, "chat");
    EXPECT_EQ(message->protocol, "");
}

TEST(DcepMessageTest, ParsesUnorderedPartialReliabilityAndProtocol) {
    const std::vector<std::uint8_t> bytes{0x03, 0x81, 0x00, 0x80, 0x00, 0x00, 0x01, 0x02,
                                          0x00, 0x01, 0x00, 0x03, 'x',  'j',  's',  'n'};
    const auto message = DcepMessage::parse(bytes);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->channel_type, DcepMessage::ChannelType::PartialReliableRexmitUnordered);
    EXPECT_TRUE(message->unordered());
    EXPECT_EQ(message->priority, 128);
    EXPECT_EQ(message->reliability, 0x0102u);
    EXPECT_EQ(message->label, "x");
    EXPECT_EQ(message->protocol, "jsn");
}

TEST(DcepMessageTest, WritesWhatItParses) {
    auto open = DcepMessage::open("chat");
    open.priority = 256;
    EXPECT_EQ(open.serialize(), chromium_open);

    auto other = DcepMessage::open("label", "protocol");
    other.channel_type = DcepMessage::ChannelType::PartialReliableTimed;
    other.reliability = 0xdeadbeef;
    const auto parsed = DcepMessage::parse(other.serialize());
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->channel_type, other.channel_type);
    EXPECT_EQ(parsed->reliability, 0xdeadbeefu);
    EXPECT_EQ(parsed->label, "label");
    EXPECT_EQ(parsed->protocol, "protocol");
}

TEST(DcepMessageTest, AckIsOneByte) {
    EXPECT_EQ(DcepMessage::ack().serialize(), std::vector<std::uint8_t>{0x02});
    const std::vector<std::uint8_t> ack{0x02};
    const auto parsed = DcepMessage::parse(ack);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->type, DcepMessage::Type::Ack);
}

TEST(DcepMessageTest, RefusesMalformedMessages) {
    EXPECT_FALSE(DcepMessage::parse({}));
    const std::vector<std::uint8_t> long_ack{0x02, 0x00};
    EXPECT_FALSE(DcepMessage::parse(long_ack));
    const std::vector<std::uint8_t> unknown_type{0x04};
    EXPECT_FALSE(DcepMessage::parse(unknown_type));

    auto truncated = chromium_open;
    truncated.pop_back();
    EXPECT_FALSE(DcepMessage::parse(truncated));
    auto trailing = chromium_open;
    trailing.push_back('!');
    EXPECT_FALSE(DcepMessage::parse(trailing));
    const std::vector<std::uint8_t> short_header(chromium_open.begin(), chromium_open.begin() + 11);
    EXPECT_FALSE(DcepMessage::parse(short_header));
    auto bad_channel_type = chromium_open;
    bad_channel_type[1] = 0x03;
    EXPECT_FALSE(DcepMessage::parse(bad_channel_type));
    // Lengths that claim more than the message holds.
    auto huge_label = chromium_open;
    huge_label[8] = 0xff;
    huge_label[9] = 0xff;
    EXPECT_FALSE(DcepMessage::parse(huge_label));
}

}  // namespace
}  // namespace vg::rtc::sctp
