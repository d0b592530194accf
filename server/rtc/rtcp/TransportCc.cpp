#include "rtc/rtcp/TransportCc.hpp"

#include "rtc/rtp/ByteOrder.hpp"

namespace vg::rtc::rtcp {
namespace {

constexpr uint8_t kNotReceived = 0;
constexpr uint8_t kSmallDelta = 1;
constexpr uint8_t kLargeDelta = 2;

}  // namespace

std::optional<TransportCc> TransportCc::parse(const FeedbackPacket& feedback) {
    const auto fci = feedback.fci();
    if (feedback.type() != PacketType::TransportFeedback || feedback.fmt() != fmt::kTransportCc ||
        fci.size() < kFixedSize) {
        return std::nullopt;
    }
    TransportCc t;
    t.fci_ = fci;
    t.senderSsrc_ = feedback.sender_ssrc();
    t.mediaSsrc_ = feedback.media_ssrc();
    t.baseSequence_ = rtp::read16(fci.data());
    t.statusCount_ = rtp::read16(fci.data() + 2);
    uint32_t reference = rtp::read24(fci.data() + 4);
    if ((reference & 0x800000) != 0) {
        reference |= 0xFF000000U;
    }
    t.referenceTime_ = static_cast<int32_t>(reference);
    t.feedbackCount_ = fci[7];
    return t;
}

bool TransportCc::statuses(std::span<PacketStatus> out) const {
    if (statusCount_ > out.size()) {
        return false;
    }
    // The chunks first: each gives the symbols of a run, or of a vector of 14 or 7 packets.
    size_t at = kFixedSize;
    size_t count = 0;
    while (count < statusCount_) {
        if (at + 2 > fci_.size()) {
            return false;
        }
        const uint16_t chunk = rtp::read16(fci_.data() + at);
        at += 2;
        const auto put = [&](uint8_t symbol) {
            if (count == statusCount_) {
                return;  // the last chunk may describe more packets than there are
            }
            out[count].sequence = static_cast<uint16_t>(baseSequence_ + count);
            out[count].arrival_us = symbol;  // the pass below turns it into a time
            ++count;
        };
        if ((chunk & 0x8000) == 0) {
            const auto symbol = static_cast<uint8_t>((chunk >> 13) & 0x3);
            for (size_t run = chunk & 0x1fff; run > 0 && count < statusCount_; --run) {
                put(symbol);
            }
        } else if ((chunk & 0x4000) == 0) {
            for (int bit = 13; bit >= 0; --bit) {
                put(static_cast<uint8_t>((chunk >> bit) & 0x1));
            }
        } else {
            for (int shift = 12; shift >= 0; shift -= 2) {
                put(static_cast<uint8_t>((chunk >> shift) & 0x3));
            }
        }
    }
    // Then one delta per received packet, each from the one before, the first from the
    // reference time.
    int64_t arrival = 0;
    for (size_t i = 0; i < count; ++i) {
        const auto symbol = static_cast<uint8_t>(out[i].arrival_us);
        out[i].received = symbol == kSmallDelta || symbol == kLargeDelta;
        out[i].arrival_us = 0;
        if (symbol == kNotReceived) {
            continue;
        }
        if (symbol == kSmallDelta) {
            if (at + 1 > fci_.size()) {
                return false;
            }
            arrival += int64_t{fci_[at]} * kDeltaUnitUs;
            at += 1;
        } else if (symbol == kLargeDelta) {
            if (at + 2 > fci_.size()) {
                return false;
            }
            arrival += int64_t{static_cast<int16_t>(rtp::read16(fci_.data() + at))} * kDeltaUnitUs;
            at += 2;
        } else {
            return false;  // the reserved symbol
        }
        out[i].arrival_us = arrival;
    }
    return true;
}

}  // namespace vg::rtc::rtcp
