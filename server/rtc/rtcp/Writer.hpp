#pragma once
// Appends RTCP packets to a compound packet in the caller's buffer. Never allocates or throws:
// a packet that does not fit is not written and its add* returns false.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "rtc/rtcp/ReportBlock.hpp"
#include "rtc/rtcp/SenderReport.hpp"

namespace vg::rtc::rtcp {

class Writer {
  public:
    static constexpr size_t kMaxReportBlocks = 31;
    static constexpr size_t kMaxNackItems = 64;

    explicit Writer(std::span<uint8_t> buffer) : buffer_(buffer) {}

    bool add_sender_report(const SenderInfo& info, std::span<const ReportBlock> reports);
    bool add_receiver_report(uint32_t ssrc, std::span<const ReportBlock> reports);
    // SDES with one chunk holding one CNAME item (RFC 3550 6.5.1); at most 255 bytes of text.
    bool add_sdes_cname(uint32_t ssrc, std::string_view cname);
    bool add_pli(uint32_t sender_ssrc, uint32_t media_ssrc);
    // RFC 5104: the media SSRC field is zero, the target goes in the entry.
    bool add_fir(uint32_t sender_ssrc, uint32_t media_ssrc, uint8_t sequence_number);
    // Packs the lost sequence numbers (in send order, as a receiver finds them) into PID + BLP
    // items, at most kMaxNackItems.
    bool add_nack(uint32_t sender_ssrc, uint32_t media_ssrc, std::span<const uint16_t> lost);
    bool add_remb(uint32_t sender_ssrc, uint64_t bitrate, std::span<const uint32_t> ssrcs);

    size_t size() const { return size_; }
    std::span<uint8_t> bytes() const { return buffer_.first(size_); }

  private:
    // Reserves a packet of size bytes with its header; nullptr when it does not fit.
    uint8_t* begin(uint8_t count, uint8_t type, size_t size);

    std::span<uint8_t> buffer_;
    size_t size_ = 0;
};

}  // namespace vg::rtc::rtcp
