#include "app/MediaMetrics.hpp"

#include <initializer_list>
#include <utility>

#include "http/Metrics.hpp"

namespace vg::app {

MediaMetrics::MediaMetrics(http::Metrics& metrics, const rtc::MediaEngine& engine)
    : metrics_(metrics), engine_(engine) {
    using Read = double (*)(const Stats&);
    // One family; with a label, one series per (value, reader) pair.
    auto add = [&](bool counter, const std::string& name, const std::string& help,
                   const std::string& label,
                   std::initializer_list<std::pair<const char*, Read>> series) {
        names_.push_back(name);
        for (const auto& [value, read] : series) {
            http::Metrics::Labels labels;
            if (!label.empty()) labels.emplace_back(label, value);
            auto reader = [this, read = read] { return read(snapshot()); };
            if (counter)
                metrics_.add_counter(name, help, reader, std::move(labels));
            else
                metrics_.add_gauge(name, help, reader, std::move(labels));
        }
    };
    add(false, "vg_media_rooms", "Call sessions with media on the workers", "",
        {{"", [](const Stats& s) { return static_cast<double>(s.rooms); }}});
    add(false, "vg_media_participants", "Participants with media on the workers", "",
        {{"", [](const Stats& s) { return static_cast<double>(s.participants); }}});
    add(true, "vg_media_rtp_packets_total", "RTP packets received from and sent to participants",
        "direction",
        {{"in", [](const Stats& s) { return static_cast<double>(s.quality.packets_received); }},
         {"out", [](const Stats& s) { return static_cast<double>(s.quality.packets_sent); }}});
    add(true, "vg_media_rtp_bytes_total", "RTP bytes received from and sent to participants",
        "direction",
        {{"in", [](const Stats& s) { return static_cast<double>(s.quality.bytes_received); }},
         {"out", [](const Stats& s) { return static_cast<double>(s.quality.bytes_sent); }}});
    add(true, "vg_media_packets_lost_total",
        "RTP packets lost on the way to us (in), or to participants as their reports say (out)",
        "direction",
        {{"in", [](const Stats& s) { return static_cast<double>(s.quality.packets_lost); }},
         {"out",
          [](const Stats& s) { return static_cast<double>(s.quality.packets_lost_downlink); }}});
    add(true, "vg_media_packets_recovered_total",
        "Packets lost on the way to us that the sender's retransmission recovered", "",
        {{"", [](const Stats& s) { return static_cast<double>(s.quality.packets_recovered); }}});
    add(true, "vg_media_nack_requests_total",
        "Packets asked for again: by us of senders (sent), of us by receivers (received)",
        "direction",
        {{"sent", [](const Stats& s) { return static_cast<double>(s.quality.nacks_sent); }},
         {"received",
          [](const Stats& s) { return static_cast<double>(s.quality.nacks_received); }}});
    add(true, "vg_media_retransmissions_total",
        "Packets resent to receivers from our retransmission buffers", "",
        {{"", [](const Stats& s) { return static_cast<double>(s.quality.retransmissions_sent); }}});
    // In bytes: Prometheus' base unit (promtool refuses bits).
    add(false, "vg_media_bitrate_bytes_per_second", "RTP bytes per second over the last second",
        "direction",
        {{"in", [](const Stats& s) { return s.quality.receive_bitrate / 8; }},
         {"out", [](const Stats& s) { return s.quality.send_bitrate / 8; }}});
    add(false, "vg_media_rtt_seconds", "Mean round trip to the participants whose reports tell it",
        "", {{"", [](const Stats& s) { return s.quality.rtt_ms / 1000; }}});
    add(false, "vg_media_tcp_connections", "ICE-TCP connections, by whether an ICE check passed",
        "state",
        {{"checked",
          [](const Stats& s) {
              return static_cast<double>(s.tcp_connections - s.tcp_unauthenticated);
          }},
         {"unchecked", [](const Stats& s) { return static_cast<double>(s.tcp_unauthenticated); }}});
    add(true, "vg_media_tcp_connections_refused_total",
        "ICE-TCP connections closed at accept, by the limit they met", "limit",
        {{"per_address",
          [](const Stats& s) { return static_cast<double>(s.tcp_refused_per_address); }},
         {"per_worker",
          [](const Stats& s) { return static_cast<double>(s.tcp_refused_per_worker); }}});
    add(true, "vg_media_chat_messages_dropped_total",
        "Chat messages dropped for coming faster than their sender's rate", "",
        {{"", [](const Stats& s) { return static_cast<double>(s.chat_messages_dropped); }}});
    add(false, "vg_media_jitter_seconds", "Largest interarrival jitter of the streams we receive",
        "", {{"", [](const Stats& s) { return s.quality.jitter_ms / 1000; }}});
}

MediaMetrics::~MediaMetrics() {
    for (const auto& name : names_) metrics_.remove(name);
}

MediaMetrics::Stats MediaMetrics::snapshot() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now - taken_ > std::chrono::milliseconds(500)) {
        last_ = engine_.stats();
        taken_ = now;
    }
    return last_;
}

}  // namespace vg::app
