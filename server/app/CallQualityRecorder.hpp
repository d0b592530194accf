#pragma once
// Stores a participant's final media statistics with its call session (call_session_quality,
// migrations/0005), through the database pool: never waited on by the media worker that
// reported them. A room that is no call session (tests, benchmarks) stores nothing.
#include "rtc/QualitySummary.hpp"

namespace vg::db {
class Pool;
}

namespace vg::app {

class CallQualityRecorder {
  public:
    // Queues the insert and returns at once; a failure is logged, never thrown.
    static void record(db::Pool& pool, const rtc::QualitySummary& summary);
};

}  // namespace vg::app
