#include "rtc/rtcp/SenderReport.hpp"

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {

std::optional<SenderReport> SenderReport::parse(const Packet& packet) {
    const auto body = packet.body();
    const size_t count = packet.count();
    if (packet.type() != PacketType::SenderReport ||
        body.size() < kSenderInfoSize + count * ReportBlock::kSize) {
        return std::nullopt;
    }
    return SenderReport(body, count);
}

SenderInfo SenderReport::info() const {
    return SenderInfo{rtp::read32(body_.data()), rtp::read64(body_.data() + 4),
                      rtp::read32(body_.data() + 12), rtp::read32(body_.data() + 16),
                      rtp::read32(body_.data() + 20)};
}

ReportBlock SenderReport::report(size_t index) const {
    return ReportBlock::read(body_.data() + kSenderInfoSize + index * ReportBlock::kSize);
}

void SenderReport::set_report_ssrc(size_t index, uint32_t ssrc) {
    rtp::write32(body_.data() + kSenderInfoSize + index * ReportBlock::kSize, ssrc);
}

void SenderReport::set_rtp_timestamp(uint32_t timestamp) {
    rtp::write32(body_.data() + 12, timestamp);
}

}  // namespace vg::rtc::rtcp
