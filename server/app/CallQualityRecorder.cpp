#include "app/CallQualityRecorder.hpp"

#include <exception>
#include <string>
#include <vector>

#include "common/Log.hpp"
#include "db/Connection.hpp"
#include "db/Pool.hpp"

namespace vg::app {

void CallQualityRecorder::record(db::Pool& pool, const rtc::QualitySummary& summary) {
    auto number = [](auto value) { return db::Param(std::to_string(value)); };
    std::vector<db::Param> params = {
        summary.room_id,
        summary.role,
        number(summary.seconds),
        number(summary.packets_received),
        number(summary.bytes_received),
        number(summary.packets_lost),
        number(summary.packets_recovered),
        number(summary.nacks_sent),
        number(summary.jitter_ms),
        number(summary.packets_sent),
        number(summary.bytes_sent),
        number(summary.nacks_received),
        number(summary.retransmissions_sent),
        number(summary.packets_lost_downlink),
        summary.rtt_ms > 0 ? number(summary.rtt_ms) : db::Param(),
    };
    const auto participant = summary.participant_id;
    pool.submit(
        [params = std::move(params)](db::Connection& connection) {
            // The room id is the call session's id: a room that is not one matches no row.
            connection.exec(
                "INSERT INTO call_session_quality (call_session_id, role, media_seconds, "
                "packets_received, bytes_received, packets_lost, packets_recovered, nacks_sent, "
                "jitter_ms, packets_sent, bytes_sent, nacks_received, retransmissions_sent, "
                "packets_lost_downlink, rtt_ms) "
                "SELECT id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 "
                "FROM call_sessions WHERE id::text = $1",
                params);
        },
        [participant](std::exception_ptr error) {
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                common::log::get("app")->warn("media quality of participant {} not stored: {}",
                                              participant, e.what());
            }
        });
}

}  // namespace vg::app
