#include "rtc/sctp/DcepMessage.hpp"

#include <algorithm>
#include <limits>

namespace vg::rtc::sctp {
namespace {

std::uint16_t read16(const std::uint8_t* at) {
    return static_cast<std::uint16_t>((at[0] << 8) | at[1]);
}

std::uint32_t read32(const std::uint8_t* at) {
    return (std::uint32_t{at[0]} << 24) | (std::uint32_t{at[1]} << 16) |
           (std::uint32_t{at[2]} << 8) | std::uint32_t{at[3]};
}

void write16(std::vector<std::uint8_t>& out, std::size_t value) {
    out.push_back(static_cast<std::uint8_t>(value >> 8));
    out.push_back(static_cast<std::uint8_t>(value));
}

bool known(std::uint8_t channel_type) {
    switch (channel_type) {
        case 0x00:
        case 0x80:
        case 0x01:
        case 0x81:
        case 0x02:
        case 0x82:
            return true;
        default:
            return false;
    }
}

}  // namespace

std::optional<DcepMessage> DcepMessage::parse(std::span<const std::uint8_t> bytes) {
    if (bytes.empty()) return std::nullopt;
    if (bytes[0] == static_cast<std::uint8_t>(Type::Ack)) {
        if (bytes.size() != 1) return std::nullopt;
        return ack();
    }
    if (bytes[0] != static_cast<std::uint8_t>(Type::Open) || bytes.size() < open_header_size ||
        !known(bytes[1]))
        return std::nullopt;
    const std::size_t label_length = read16(&bytes[8]);
    const std::size_t protocol_length = read16(&bytes[10]);
    if (bytes.size() != open_header_size + label_length + protocol_length) return std::nullopt;
    DcepMessage message;
    message.type = Type::Open;
    message.channel_type = static_cast<ChannelType>(bytes[1]);
    message.priority = read16(&bytes[2]);
    message.reliability = read32(&bytes[4]);
    const auto* text = reinterpret_cast<const char*>(bytes.data() + open_header_size);
    message.label.assign(text, label_length);
    message.protocol.assign(text + label_length, protocol_length);
    return message;
}

DcepMessage DcepMessage::ack() {
    DcepMessage message;
    message.type = Type::Ack;
    return message;
}

DcepMessage DcepMessage::open(std::string label, std::string protocol) {
    DcepMessage message;
    message.label = std::move(label);
    message.protocol = std::move(protocol);
    return message;
}

std::vector<std::uint8_t> DcepMessage::serialize() const {
    if (type == Type::Ack) return {static_cast<std::uint8_t>(Type::Ack)};
    constexpr std::size_t field_limit = std::numeric_limits<std::uint16_t>::max();
    const std::size_t label_length = std::min(label.size(), field_limit);
    const std::size_t protocol_length = std::min(protocol.size(), field_limit);
    std::vector<std::uint8_t> out;
    out.reserve(open_header_size + label_length + protocol_length);
    out.push_back(static_cast<std::uint8_t>(Type::Open));
    out.push_back(static_cast<std::uint8_t>(channel_type));
    write16(out, priority);
    write16(out, reliability >> 16);
    write16(out, reliability & 0xffff);
    write16(out, label_length);
    write16(out, protocol_length);
    out.insert(out.end(), label.begin(), label.begin() + static_cast<std::ptrdiff_t>(label_length));
    out.insert(out.end(), protocol.begin(),
               protocol.begin() + static_cast<std::ptrdiff_t>(protocol_length));
    return out;
}

}  // namespace vg::rtc::sctp
