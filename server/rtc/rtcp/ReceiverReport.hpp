#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "rtc/rtcp/Packet.hpp"
#include "rtc/rtcp/ReportBlock.hpp"

namespace vg::rtc::rtcp {

// RR (RFC 3550 6.4.2): a view over the packet's bytes.
class ReceiverReport {
  public:
    static std::optional<ReceiverReport> parse(const Packet& packet);

    uint32_t ssrc() const;
    size_t report_count() const { return count_; }
    ReportBlock report(size_t index) const;  // index < report_count()
    void set_report_ssrc(size_t index, uint32_t ssrc);

  private:
    ReceiverReport(std::span<uint8_t> body, size_t count) : body_(body), count_(count) {}

    std::span<uint8_t> body_;
    size_t count_;
};

}  // namespace vg::rtc::rtcp
