#pragma once
// The RTCP and statistics state of one participant, beside its forwarding state: per section it
// sends us, the reception statistics and the gaps we ask it to fill; per section we send it,
// what we sent and (video) the retransmission buffer that answers its NACKs; the SRs we sent
// it, to turn its receiver reports into a round-trip time. Everything is allocated when the
// participant is added; the per-packet calls do not allocate.
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "rtc/QualitySummary.hpp"
#include "rtc/room/MediaSettings.hpp"
#include "rtc/room/MissingPackets.hpp"
#include "rtc/room/ReceptionStats.hpp"
#include "rtc/room/RetransmissionBuffer.hpp"
#include "rtc/rtcp/ReportBlock.hpp"

namespace vg::rtc::room {

class ParticipantQuality {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr auto report_interval = std::chrono::seconds(1);

    struct Incoming {
        ReceptionStats reception;
        MissingPackets missing;
        std::uint64_t nacks_sent = 0;
    };
    struct Outgoing {
        std::unique_ptr<RetransmissionBuffer> buffer;  // video only; Allocated by this.
        std::uint32_t packets = 0;                     // as an SR counts them (wrapping)
        std::uint32_t octets = 0;                      // payload only, as in an SR
    };

    explicit ParticipantQuality(Clock::time_point now) : added_(now), last_report_(now) {}
    // Follows the participant's sections, which only ever get added: the state of the existing
    // ones is kept, new video sections it receives on get a retransmission buffer.
    void resize(const MediaSettings& settings);

    // nullptr for a section out of range.
    Incoming* incoming(std::size_t section);
    Outgoing* outgoing(std::size_t section);

    // A media packet of a sending section arrived (RTX already unwrapped: rtx says so). False
    // for a retransmission of a packet we already had (or gave up on).
    bool on_received(std::size_t section, std::uint32_t ssrc, std::uint16_t sequence,
                     std::uint32_t rtp_timestamp, std::size_t bytes, bool rtx,
                     Clock::time_point now);
    // A packet went out to this participant on a receiving section (unprotected bytes).
    // payload: its payload bytes, which an SR counts.
    void on_sent(std::size_t section, std::uint16_t sequence, std::span<const std::uint8_t> packet,
                 std::size_t payload, Clock::time_point now);
    // We sent it an SR with this NTP timestamp.
    void on_sender_report_sent(std::uint64_t ntp_timestamp, Clock::time_point now);
    // A report block it sent about one of the streams we send it.
    void on_report_block(const rtcp::ReportBlock& block, Clock::time_point now);
    // Once per report_interval: bitrates. True when it is time for receiver reports.
    bool report_due(Clock::time_point now);

    // Round trip to this participant, from its reports on our SRs (0 until known).
    Clock::duration rtt() const { return rtt_; }

    std::uint64_t nacks_received = 0;
    std::uint64_t retransmissions_sent = 0;

    QualitySummary summary(Clock::time_point now) const;

  private:
    Clock::time_point added_;
    std::vector<Incoming> incoming_;
    std::vector<Outgoing> outgoing_;
    std::vector<std::uint32_t> local_ssrcs_;
    struct SentReport {
        std::uint32_t compact_ntp = 0;
        Clock::time_point sent{};
    };
    std::array<SentReport, 8> sent_reports_{};
    std::size_t next_sent_report_ = 0;
    Clock::duration rtt_{};
    std::vector<std::int64_t> lost_downlink_;  // by local_ssrcs_ index
    std::uint64_t packets_sent_ = 0;
    std::uint64_t bytes_sent_ = 0;
    Clock::time_point last_report_{};
    std::uint64_t bytes_received_at_report_ = 0;
    std::uint64_t bytes_sent_at_report_ = 0;
    double receive_bitrate_ = 0;
    double send_bitrate_ = 0;
};

}  // namespace vg::rtc::room
