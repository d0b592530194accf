#include "http/api/AppointmentRequest.hpp"

#include "domain/TimeFormat.hpp"
#include "http/Problem.hpp"
#include "http/api/ClosedSite.hpp"
#include "http/api/Preconditions.hpp"

namespace vg::http::api {

using domain::TimeFormat;

std::string AppointmentRequest::etag(std::string_view version) {
    return Preconditions::etag(version);
}

Response AppointmentRequest::with_etag(int status, const std::string& json,
                                       const std::string& version) {
    auto response = json_response(status, json);
    response.headers.emplace_back("ETag", etag(version));
    return response;
}

std::string AppointmentRequest::bookable_start(ApiRequest& request, JsonFields& fields,
                                               const std::optional<std::string>& text) {
    if (!text) return {};
    auto instant = TimeFormat::parse_instant(*text);
    if (!instant) {
        fields.add_error("starts_at", "must be an RFC 3339 time such as 2026-12-01T14:30:00Z");
        return {};
    }
    using namespace std::chrono;
    if (instant->time_since_epoch() % minutes{1} != microseconds{0}) {
        fields.add_error("starts_at", "is not the start of a slot");
        return {};
    }
    if (*instant <= request.now_instant) {
        fields.add_error("starts_at", "must be in the future");
        return {};
    }
    if (*instant > request.now_instant + days{request.ctx.options.booking_horizon_days}) {
        fields.add_error("starts_at", "is too far ahead");
        return {};
    }
    return TimeFormat::format_instant(*instant);
}

void AppointmentRequest::refuse_unless_placed(db::Connection& db, const std::string& site_id,
                                              const std::string& starts_at,
                                              desk::Placement::Outcome outcome) {
    if (outcome == desk::Placement::Outcome::NotASlot) {
        ClosedSite::refuse_booking(db, site_id, starts_at);
        throw Problem(422, "Some fields are invalid.",
                      {{"starts_at", "is not the start of a slot of this site and service"}});
    }
    if (outcome == desk::Placement::Outcome::Full)
        throw Problem(409, "No booth or no qualified agent is free at this time.");
}

void AppointmentRequest::check_if_match(const ApiRequest& request, std::string_view version,
                                        bool required) {
    Preconditions::check_if_match(request.http, version, required, "appointment");
}

Response AppointmentRequest::move(ApiRequest& request, const Move& move) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"starts_at"});
    auto starts_at = bookable_start(request, fields, fields.text("starts_at", true, 40));
    fields.finish();
    return desk::Appointments::with_placement_retries([&]() {
        return request.db.transaction([&](db::Connection& db) {
            auto current = move.load();
            check_if_match(request, current.version, true);
            if (current.status != "booked") throw Problem(409, move.not_booked);
            auto moved = desk::Appointments::reschedule(db, current, starts_at, move.actor(current),
                                                        request.now);
            refuse_unless_placed(db, current.site_id, starts_at, moved.outcome);
            return with_etag(200, move.answer(db, current, moved), moved.version);
        });
    });
}

}  // namespace vg::http::api
