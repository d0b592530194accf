#pragma once
// Stores a participant's final media statistics with its call session (call_session_quality,
// migrations/0005), through the database pool: never waited on by the media worker that
// reported them. A room that is no call session (tests, benchmarks) stores nothing.
#include <cstdint>
#include <string>

namespace vg::db {
class Pool;
}

namespace vg::desk {

// What is stored of one participant's media (app/ fills it from rtc::QualitySummary).
struct CallQuality {
    std::string call_session_id;  // the media room's id
    std::string role;
    double media_seconds = 0;
    std::uint64_t packets_received = 0;
    std::uint64_t bytes_received = 0;
    std::int64_t packets_lost = 0;
    std::uint64_t packets_recovered = 0;
    std::uint64_t nacks_sent = 0;
    double jitter_ms = 0;
    std::uint64_t packets_sent = 0;
    std::uint64_t bytes_sent = 0;
    std::uint64_t nacks_received = 0;
    std::uint64_t retransmissions_sent = 0;
    std::int64_t packets_lost_downlink = 0;
    double rtt_ms = 0;  // 0: never measured (stored as NULL)
};

class CallQualityRecorder {
  public:
    // Queues the insert and returns at once; a failure is logged, never thrown. participant:
    // for the log only.
    static void record(db::Pool& pool, const CallQuality& quality, std::uint64_t participant);
};

}  // namespace vg::desk
