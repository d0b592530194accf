#include "rtc/rtcp/ReceiverReport.hpp"

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {

std::optional<ReceiverReport> ReceiverReport::parse(const Packet& packet) {
    const auto body = packet.body();
    const size_t count = packet.count();
    if (packet.type() != PacketType::ReceiverReport ||
        body.size() < 4 + count * ReportBlock::kSize) {
        return std::nullopt;
    }
    return ReceiverReport(body, count);
}

uint32_t ReceiverReport::ssrc() const {
    return rtp::read32(body_.data());
}

ReportBlock ReceiverReport::report(size_t index) const {
    return ReportBlock::read(body_.data() + 4 + index * ReportBlock::kSize);
}

void ReceiverReport::set_report_ssrc(size_t index, uint32_t ssrc) {
    rtp::write32(body_.data() + 4 + index * ReportBlock::kSize, ssrc);
}

}  // namespace vg::rtc::rtcp
