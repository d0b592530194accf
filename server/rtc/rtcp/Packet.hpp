#pragma once
// One RTCP packet (RFC 3550 6.4) inside a compound packet: a view over the caller's mutable
// buffer. The typed views (SenderReport, Nack, ...) are made from it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace vg::rtc::rtcp {

enum class PacketType : uint8_t {
    SenderReport = 200,
    ReceiverReport = 201,
    SourceDescription = 202,
    Bye = 203,
    App = 204,
    TransportFeedback = 205,  // RTPFB
    PayloadFeedback = 206,    // PSFB
};

// Feedback message types (the FMT field) of RTPFB and PSFB.
namespace fmt {
inline constexpr uint8_t kNack = 1;
inline constexpr uint8_t kTransportCc = 15;
inline constexpr uint8_t kPli = 1;
inline constexpr uint8_t kFir = 4;
inline constexpr uint8_t kApplicationLayer = 15;  // REMB
}  // namespace fmt

class Packet {
  public:
    static constexpr size_t kHeaderSize = 4;

    // The packet at the front of data (version 2, length within data); size() says how many
    // bytes it spans, so the next one starts there.
    static std::optional<Packet> parse(std::span<uint8_t> data);

    uint8_t count() const { return data_[0] & 0x1F; }  // RC, SC or FMT
    uint8_t raw_type() const { return data_[1]; }
    PacketType type() const { return static_cast<PacketType>(data_[1]); }
    bool has_padding() const { return (data_[0] & 0x20) != 0; }
    size_t size() const { return data_.size(); }
    std::span<uint8_t> bytes() const { return data_; }
    // After the 4-byte header, without padding.
    std::span<uint8_t> body() const { return body_; }

    // SR, RR, RTPFB and PSFB start their body with the sender's SSRC.
    std::optional<uint32_t> sender_ssrc() const;
    bool set_sender_ssrc(uint32_t ssrc);

  private:
    Packet(std::span<uint8_t> data, std::span<uint8_t> body) : data_(data), body_(body) {}

    std::span<uint8_t> data_;
    std::span<uint8_t> body_;
};

}  // namespace vg::rtc::rtcp
