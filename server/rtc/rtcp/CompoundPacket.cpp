#include "rtc/rtcp/CompoundPacket.hpp"

#include "rtc/rtcp/FeedbackPacket.hpp"
#include "rtc/rtcp/Fir.hpp"
#include "rtc/rtcp/ReceiverReport.hpp"
#include "rtc/rtcp/Remb.hpp"
#include "rtc/rtcp/SenderReport.hpp"

namespace vg::rtc::rtcp {

std::optional<Packet> CompoundPacket::next() {
    if (rest_.empty() || malformed_) {
        return std::nullopt;
    }
    auto packet = Packet::parse(rest_);
    if (!packet) {
        malformed_ = true;
        return std::nullopt;
    }
    rest_ = rest_.subspan(packet->size());
    return packet;
}

bool CompoundPacket::validate(std::span<uint8_t> data) {
    if (data.empty()) {
        return false;
    }
    CompoundPacket compound(data);
    while (compound.next()) {
    }
    return !compound.malformed();
}

bool CompoundPacket::rewrite_media_ssrcs(std::span<uint8_t> data, SsrcMap map, void* context) {
    auto mapped = [&](uint32_t ssrc) { return ssrc == 0 ? 0 : map(context, ssrc); };
    CompoundPacket compound(data);
    while (auto packet = compound.next()) {
        switch (packet->type()) {
            case PacketType::SenderReport:
                if (auto sr = SenderReport::parse(*packet)) {
                    for (size_t i = 0; i < sr->report_count(); ++i) {
                        sr->set_report_ssrc(i, mapped(sr->report(i).ssrc));
                    }
                }
                break;
            case PacketType::ReceiverReport:
                if (auto rr = ReceiverReport::parse(*packet)) {
                    for (size_t i = 0; i < rr->report_count(); ++i) {
                        rr->set_report_ssrc(i, mapped(rr->report(i).ssrc));
                    }
                }
                break;
            case PacketType::TransportFeedback:
            case PacketType::PayloadFeedback:
                if (auto fb = FeedbackPacket::parse(*packet)) {
                    fb->set_media_ssrc(mapped(fb->media_ssrc()));
                    if (auto fir = Fir::parse(*fb)) {
                        for (size_t i = 0; i < fir->entry_count(); ++i) {
                            fir->set_entry_ssrc(i, mapped(fir->entry(i).ssrc));
                        }
                    } else if (auto remb = Remb::parse(*fb)) {
                        for (size_t i = 0; i < remb->ssrc_count(); ++i) {
                            remb->set_ssrc(i, mapped(remb->ssrc(i)));
                        }
                    }
                }
                break;
            default:
                break;
        }
    }
    return !compound.malformed() && !data.empty();
}

}  // namespace vg::rtc::rtcp
