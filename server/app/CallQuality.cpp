#include "app/CallQuality.hpp"

namespace vg::app {

desk::CallQuality call_quality(const rtc::QualitySummary& summary) {
    desk::CallQuality quality;
    quality.call_session_id = summary.room_id;
    quality.role = summary.role;
    quality.media_seconds = summary.seconds;
    quality.packets_received = summary.packets_received;
    quality.bytes_received = summary.bytes_received;
    quality.packets_lost = summary.packets_lost;
    quality.packets_recovered = summary.packets_recovered;
    quality.nacks_sent = summary.nacks_sent;
    quality.jitter_ms = summary.jitter_ms;
    quality.packets_sent = summary.packets_sent;
    quality.bytes_sent = summary.bytes_sent;
    quality.nacks_received = summary.nacks_received;
    quality.retransmissions_sent = summary.retransmissions_sent;
    quality.packets_lost_downlink = summary.packets_lost_downlink;
    quality.rtt_ms = summary.rtt_ms;
    return quality;
}

}  // namespace vg::app
