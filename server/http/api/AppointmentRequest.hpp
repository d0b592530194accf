#pragma once
// What a change to an appointment asks of its request, the same for staff (AppointmentRoutes)
// and for the citizen (VisitRoutes): a bookable starts_at, the If-Match version, the refusal of a
// placement, and the answer with its ETag.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "desk/Appointments.hpp"
#include "desk/Scheduling.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"

namespace vg::http::api {

class AppointmentRequest {
  public:
    // A starts_at that can be booked: a whole minute, in the future, within the horizon; the
    // reason goes into fields otherwise (and "" comes back).
    static std::string bookable_start(ApiRequest& request, JsonFields& fields,
                                      const std::optional<std::string>& text);
    // Problem 412 when If-Match names another version; required: a missing one is 428.
    static void check_if_match(const ApiRequest& request, std::string_view version, bool required);
    // 422 for a time that is no slot (with opens_at when the site is closed then), 409 for a
    // full one.
    static void refuse_unless_placed(db::Connection& db, const std::string& site_id,
                                     const std::string& starts_at,
                                     desk::Placement::Outcome outcome);
    static std::string etag(std::string_view version);
    static Response with_etag(int status, const std::string& json, const std::string& version);

    // A booked appointment moved to the body's starts_at, under a required If-Match, tried again
    // when a concurrent booking took its booth or agent; answers 200 with answer's JSON and the
    // new version's ETag. load finds the row (locked) or throws; not_booked: the 409's detail.
    struct Move {
        std::function<desk::AppointmentRow()> load;
        std::function<desk::Actor(const desk::AppointmentRow&)> actor;
        std::function<std::string(db::Connection&, const desk::AppointmentRow&,
                                  const desk::AppointmentChange&)>
            answer;
        std::string not_booked;
    };
    static Response move(ApiRequest& request, const Move& move);
};

}  // namespace vg::http::api
