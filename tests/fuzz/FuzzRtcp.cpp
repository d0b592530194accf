// RTCP compound iteration, every typed view, and media-SSRC rewriting.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "rtc/rtcp/Bye.hpp"
#include "rtc/rtcp/CompoundPacket.hpp"
#include "rtc/rtcp/FeedbackPacket.hpp"
#include "rtc/rtcp/Fir.hpp"
#include "rtc/rtcp/Nack.hpp"
#include "rtc/rtcp/ReceiverReport.hpp"
#include "rtc/rtcp/Remb.hpp"
#include "rtc/rtcp/Sdes.hpp"
#include "rtc/rtcp/SenderReport.hpp"
#include "rtc/rtcp/TransportCc.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace vg::rtc::rtcp;
    std::vector<uint8_t> buffer(data, data + size);
    const bool valid = CompoundPacket::validate(buffer);
    CompoundPacket compound(buffer);
    while (auto packet = compound.next()) {
        (void)packet->sender_ssrc();
        if (auto sr = SenderReport::parse(*packet)) {
            (void)sr->info();
            for (size_t i = 0; i < sr->report_count(); ++i) {
                (void)sr->report(i);
            }
        }
        if (auto rr = ReceiverReport::parse(*packet)) {
            for (size_t i = 0; i < rr->report_count(); ++i) {
                (void)rr->report(i);
            }
        }
        if (auto sdes = Sdes::parse(*packet)) {
            sdes->for_each_item([](const SdesItem& item) { (void)item.text.size(); });
        }
        if (auto bye = Bye::parse(*packet)) {
            for (size_t i = 0; i < bye->ssrc_count(); ++i) {
                (void)bye->ssrc(i);
            }
        }
        if (auto fb = FeedbackPacket::parse(*packet)) {
            if (auto nack = Nack::parse(*fb)) {
                nack->for_each_lost([](uint16_t seq) { (void)seq; });
            }
            if (auto twcc = TransportCc::parse(*fb)) {
                static std::array<TransportCc::PacketStatus, 1024> statuses;
                if (twcc->statuses(statuses)) {
                    for (size_t i = 0; i < twcc->status_count(); ++i) {
                        (void)statuses[i].arrival_us;
                    }
                }
            }
            if (auto fir = Fir::parse(*fb)) {
                for (size_t i = 0; i < fir->entry_count(); ++i) {
                    (void)fir->entry(i);
                }
            }
            if (auto remb = Remb::parse(*fb)) {
                for (size_t i = 0; i < remb->ssrc_count(); ++i) {
                    (void)remb->ssrc(i);
                }
            }
        }
    }
    auto map = [](uint32_t ssrc) { return ssrc ^ 0x5A5A5A5A; };
    const bool rewritten = CompoundPacket::rewrite_media_ssrcs(buffer, map);
    // Rewriting SSRCs never changes the framing.
    if (rewritten != valid || CompoundPacket::validate(buffer) != valid) {
        __builtin_trap();
    }
    return 0;
}
