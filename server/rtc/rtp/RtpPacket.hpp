#pragma once
// An RTP packet (RFC 3550) as a view over the caller's mutable buffer: fields are read and
// rewritten in place, nothing is copied or allocated. Header extensions in the one-byte (0xBEDE)
// and two-byte (0x100x) forms of RFC 8285.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace vg::rtc::rtp {

// Extension id of the sender -> id the receiver negotiated; 0 removes the element.
using ExtensionIdMap = std::array<uint8_t, 256>;

class RtpPacket {
  public:
    static constexpr size_t kFixedHeaderSize = 12;
    static constexpr uint16_t kOneByteProfile = 0xBEDE;

    // Validates version, CSRC list, extension block (every element in bounds) and padding.
    static std::optional<RtpPacket> parse(std::span<uint8_t> data);

    bool marker() const { return (data_[1] & 0x80) != 0; }
    uint8_t payload_type() const { return data_[1] & 0x7F; }
    uint16_t sequence_number() const;
    uint32_t timestamp() const;
    uint32_t ssrc() const;
    uint8_t csrc_count() const { return data_[0] & 0x0F; }
    uint32_t csrc(size_t index) const;  // index < csrc_count()

    void set_marker(bool marker);
    void set_payload_type(uint8_t payload_type);  // 0..127
    void set_sequence_number(uint16_t sequence_number);
    void set_timestamp(uint32_t timestamp);
    void set_ssrc(uint32_t ssrc);

    bool has_extension() const { return extensionSize_ != 0; }
    uint16_t extension_profile() const;
    bool one_byte_extensions() const { return extension_profile() == kOneByteProfile; }
    // The value bytes of extension element id, std::nullopt when absent.
    std::optional<std::span<uint8_t>> extension(uint8_t id) const;
    // Renames every element's id through map in place; elements mapped to 0 (or to an id the
    // form cannot carry) become padding, which receivers skip.
    void remap_extension_ids(const ExtensionIdMap& map);

    std::span<uint8_t> bytes() const { return data_; }
    size_t header_size() const { return headerSize_; }
    std::span<uint8_t> payload() const;
    size_t padding_size() const { return paddingSize_; }

  private:
    explicit RtpPacket(std::span<uint8_t> data) : data_(data) {}
    // Calls f(idByte, valueOffset, valueLength) for each element; false on a malformed block.
    template <typename F>
    bool for_each_element(F&& f) const;

    std::span<uint8_t> data_;
    size_t headerSize_ = 0;     // fixed header + CSRCs + extension block
    size_t extensionAt_ = 0;    // offset of the extension block header
    size_t extensionSize_ = 0;  // bytes of elements after the block header
    size_t paddingSize_ = 0;
};

}  // namespace vg::rtc::rtp
