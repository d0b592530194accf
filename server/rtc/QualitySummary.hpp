#pragma once
// How one participant's media went, as counted by its worker: what it sent us (uplink) and what
// we sent it (downlink). Plain data: the worker fills it, the control plane shows and stores it.
#include <cstdint>
#include <string>

namespace vg::rtc {

struct QualitySummary {
    std::uint64_t participant_id = 0;
    std::string room_id;  // the call session
    std::string role;
    double seconds = 0;  // since the participant was added

    // Uplink: the participant's RTP as we received it.
    std::uint64_t packets_received = 0;
    std::uint64_t bytes_received = 0;
    std::int64_t packets_lost = 0;        // expected but never received (RFC 3550)
    std::uint64_t packets_recovered = 0;  // gaps filled by its retransmissions
    std::uint64_t nacks_sent = 0;         // sequence numbers we asked it for again
    double jitter_ms = 0;                 // the largest of its streams' interarrival jitter
    double receive_bitrate = 0;           // bit/s over the last report interval

    // Downlink: what we forwarded to it.
    std::uint64_t packets_sent = 0;
    std::uint64_t bytes_sent = 0;
    std::uint64_t nacks_received = 0;        // sequence numbers it asked us for again
    std::uint64_t retransmissions_sent = 0;  // answered from our retransmission buffer
    std::int64_t packets_lost_downlink = 0;  // as its receiver reports say
    double rtt_ms = 0;                       // smoothed, from its reports on our SRs; 0: unknown
    double send_bitrate = 0;                 // bit/s over the last report interval

    // Adds other's counters (not its rates, times or ids) to these.
    void add_counters(const QualitySummary& other) {
        packets_received += other.packets_received;
        bytes_received += other.bytes_received;
        packets_lost += other.packets_lost;
        packets_recovered += other.packets_recovered;
        nacks_sent += other.nacks_sent;
        packets_sent += other.packets_sent;
        bytes_sent += other.bytes_sent;
        nacks_received += other.nacks_received;
        retransmissions_sent += other.retransmissions_sent;
        packets_lost_downlink += other.packets_lost_downlink;
    }
    // Adds a present participant's counters and rates, and its round trip to rtt_ms (a sum:
    // the caller counts those known); jitter_ms keeps the largest.
    void add_present(const QualitySummary& other) {
        add_counters(other);
        receive_bitrate += other.receive_bitrate;
        send_bitrate += other.send_bitrate;
        jitter_ms = jitter_ms > other.jitter_ms ? jitter_ms : other.jitter_ms;
        rtt_ms += other.rtt_ms;
    }
};

}  // namespace vg::rtc
