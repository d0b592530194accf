#include "rtc/rtp/RtpPacket.hpp"

#include <cstring>

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtp {

namespace {

bool two_byte_profile(uint16_t profile) {
    return (profile & 0xFFF0) == 0x1000;
}

}  // namespace

template <typename F>
bool RtpPacket::for_each_element(F&& f) const {
    const uint16_t profile = extension_profile();
    const bool one_byte = profile == kOneByteProfile;
    if (!one_byte && !two_byte_profile(profile)) {
        return true;  // another profile: opaque to us
    }
    const size_t begin = extensionAt_ + 4;
    const size_t end = begin + extensionSize_;
    size_t at = begin;
    while (at < end) {
        const uint8_t first = data_[at];
        if (first == 0) {
            ++at;  // padding
            continue;
        }
        size_t length = 0;
        size_t value_at = 0;
        if (one_byte) {
            if ((first >> 4) == 15) {
                return true;  // reserved id: stop reading (RFC 8285 4.2)
            }
            length = (first & 0x0F) + 1u;
            value_at = at + 1;
        } else {
            if (at + 1 >= end) {
                return false;
            }
            length = data_[at + 1];
            value_at = at + 2;
        }
        if (end - value_at < length) {
            return false;
        }
        f(at, value_at, length);
        at = value_at + length;
    }
    return true;
}

std::optional<RtpPacket> RtpPacket::parse(std::span<uint8_t> data) {
    if (data.size() < kFixedHeaderSize || (data[0] >> 6) != 2) {
        return std::nullopt;
    }
    RtpPacket packet(data);
    size_t at = kFixedHeaderSize + size_t{4} * packet.csrc_count();
    if (at > data.size()) {
        return std::nullopt;
    }
    if ((data[0] & 0x10) != 0) {
        if (data.size() - at < 4) {
            return std::nullopt;
        }
        const size_t words = read16(data.data() + at + 2);
        if (data.size() - at - 4 < words * 4) {
            return std::nullopt;
        }
        packet.extensionAt_ = at;
        packet.extensionSize_ = words * 4;
        at += 4 + words * 4;
        if (packet.extensionSize_ != 0 && !packet.for_each_element([](size_t, size_t, size_t) {})) {
            return std::nullopt;
        }
    }
    packet.headerSize_ = at;
    if ((data[0] & 0x20) != 0) {
        const size_t padding = data.back();
        if (padding == 0 || padding > data.size() - at) {
            return std::nullopt;
        }
        packet.paddingSize_ = padding;
    }
    return packet;
}

uint16_t RtpPacket::sequence_number() const {
    return read16(data_.data() + 2);
}
uint32_t RtpPacket::timestamp() const {
    return read32(data_.data() + 4);
}
uint32_t RtpPacket::ssrc() const {
    return read32(data_.data() + 8);
}
uint32_t RtpPacket::csrc(size_t index) const {
    return read32(data_.data() + 12 + 4 * index);
}

void RtpPacket::set_marker(bool marker) {
    data_[1] = static_cast<uint8_t>((data_[1] & 0x7F) | (marker ? 0x80 : 0));
}

void RtpPacket::set_payload_type(uint8_t payload_type) {
    data_[1] = static_cast<uint8_t>((data_[1] & 0x80) | (payload_type & 0x7F));
}

void RtpPacket::set_sequence_number(uint16_t sequence_number) {
    write16(data_.data() + 2, sequence_number);
}
void RtpPacket::set_timestamp(uint32_t timestamp) {
    write32(data_.data() + 4, timestamp);
}
void RtpPacket::set_ssrc(uint32_t ssrc) {
    write32(data_.data() + 8, ssrc);
}

uint16_t RtpPacket::extension_profile() const {
    return extensionAt_ == 0 ? 0 : read16(data_.data() + extensionAt_);
}

std::optional<std::span<uint8_t>> RtpPacket::extension(uint8_t id) const {
    if (!has_extension() || id == 0) {
        return std::nullopt;
    }
    const bool one_byte = one_byte_extensions();
    std::optional<std::span<uint8_t>> found;
    for_each_element([&](size_t at, size_t value_at, size_t length) {
        const uint8_t element_id = one_byte ? static_cast<uint8_t>(data_[at] >> 4) : data_[at];
        if (!found && element_id == id) {
            found = data_.subspan(value_at, length);
        }
    });
    return found;
}

void RtpPacket::remap_extension_ids(const ExtensionIdMap& map) {
    if (!has_extension()) {
        return;
    }
    const bool one_byte = one_byte_extensions();
    for_each_element([&](size_t at, size_t value_at, size_t length) {
        const uint8_t id = one_byte ? static_cast<uint8_t>(data_[at] >> 4) : data_[at];
        const uint8_t to = map[id];
        if (to == 0 || (one_byte && to >= 15)) {
            std::memset(data_.data() + at, 0, value_at + length - at);
        } else if (one_byte) {
            data_[at] = static_cast<uint8_t>((to << 4) | (data_[at] & 0x0F));
        } else {
            data_[at] = to;
        }
    });
}

std::span<uint8_t> RtpPacket::payload() const {
    return data_.subspan(headerSize_, data_.size() - headerSize_ - paddingSize_);
}

}  // namespace vg::rtc::rtp
