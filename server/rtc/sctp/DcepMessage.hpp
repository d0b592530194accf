#pragma once
// The Data Channel Establishment Protocol (RFC 8832): DATA_CHANNEL_OPEN, which names a channel
// and its reliability, and DATA_CHANNEL_ACK. Both travel on the channel's own SCTP stream with
// payload protocol identifier 50. Parsing never throws: a malformed message is std::nullopt.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vg::rtc::sctp {

// SCTP payload protocol identifiers of WebRTC data channels (RFC 8831 section 8).
enum class Ppid : std::uint32_t {
    Dcep = 50,
    String = 51,
    Binary = 53,
    // An empty message cannot be sent on SCTP: these carry one ignored byte instead.
    StringEmpty = 56,
    BinaryEmpty = 57,
};

struct DcepMessage {
    enum class Type : std::uint8_t { Ack = 0x02, Open = 0x03 };
    // Bit 0x80 means unordered; the low bits select the partial reliability policy.
    enum class ChannelType : std::uint8_t {
        Reliable = 0x00,
        ReliableUnordered = 0x80,
        PartialReliableRexmit = 0x01,
        PartialReliableRexmitUnordered = 0x81,
        PartialReliableTimed = 0x02,
        PartialReliableTimedUnordered = 0x82,
    };
    static constexpr std::size_t open_header_size = 12;

    Type type = Type::Open;
    // The fields below mean something for Open only.
    ChannelType channel_type = ChannelType::Reliable;
    std::uint16_t priority = 0;
    std::uint32_t reliability = 0;
    std::string label;
    std::string protocol;

    bool unordered() const { return (static_cast<std::uint8_t>(channel_type) & 0x80) != 0; }

    // One DCEP message, exactly (trailing bytes refuse it).
    static std::optional<DcepMessage> parse(std::span<const std::uint8_t> bytes);
    static DcepMessage ack();
    static DcepMessage open(std::string label, std::string protocol = {});
    std::vector<std::uint8_t> serialize() const;
};

}  // namespace vg::rtc::sctp
