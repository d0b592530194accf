#include "desk/CallQualityRecorder.hpp"

#include <exception>
#include <string>
#include <vector>

#include "common/Log.hpp"
#include "db/Connection.hpp"
#include "db/Pool.hpp"

namespace vg::desk {

void CallQualityRecorder::record(db::Pool& pool, const CallQuality& quality,
                                 std::uint64_t participant) {
    auto number = [](auto value) { return db::Param(std::to_string(value)); };
    std::vector<db::Param> params = {
        quality.call_session_id,
        quality.role,
        number(quality.media_seconds),
        number(quality.packets_received),
        number(quality.bytes_received),
        number(quality.packets_lost),
        number(quality.packets_recovered),
        number(quality.nacks_sent),
        number(quality.jitter_ms),
        number(quality.packets_sent),
        number(quality.bytes_sent),
        number(quality.nacks_received),
        number(quality.retransmissions_sent),
        number(quality.packets_lost_downlink),
        quality.rtt_ms > 0 ? number(quality.rtt_ms) : db::Param(),
    };
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
                common::log::get("desk")->warn("media quality of participant {} not stored: {}",
                                               participant, e.what());
            }
        });
}

}  // namespace vg::desk
