#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rtc/rtcp/Packet.hpp"
#include "rtc/rtcp/ReportBlock.hpp"

namespace vg::rtc::rtcp {

struct SenderInfo {
    uint32_t ssrc = 0;
    uint64_t ntp_timestamp = 0;
    uint32_t rtp_timestamp = 0;
    uint32_t packet_count = 0;
    uint32_t octet_count = 0;
};

// SR (RFC 3550 6.4.1): a view over the packet's bytes.
class SenderReport {
  public:
    static constexpr size_t kSenderInfoSize = 24;

    static std::optional<SenderReport> parse(const Packet& packet);

    SenderInfo info() const;
    size_t report_count() const { return count_; }
    ReportBlock report(size_t index) const;  // index < report_count()
    void set_report_ssrc(size_t index, uint32_t ssrc);
    // Rewrites the RTP timestamp, as forwarding under a new SSRC and timestamp base needs.
    void set_rtp_timestamp(uint32_t timestamp);

  private:
    SenderReport(std::span<uint8_t> body, size_t count) : body_(body), count_(count) {}

    std::span<uint8_t> body_;
    size_t count_;
};

}  // namespace vg::rtc::rtcp
