// The citizen's own page (web/visit/, reached by {public_url}/visit/#<token>): the personal link's
// token, sent as "Authorization: Bearer <token>", names one appointment and grants nothing else:
// see it, see the free slots of its site and service, move it (If-Match) or cancel it. The same
// rules as staff changes (desk::Appointments); each address gets a bounded number of requests.
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "desk/Appointments.hpp"
#include "domain/TimeFormat.hpp"
#include "http/Problem.hpp"
#include "http/api/AppointmentRequest.hpp"
#include "http/api/Endpoint.hpp"
#include "http/api/JsonFields.hpp"
#include "http/api/Routes.hpp"
#include "messaging/VisitLink.hpp"

namespace vg::http::api {

namespace {

using nlohmann::json;

// Requests per client address in a window: enough for a citizen looking at a week of slots,
// too few to try tokens (a forged one needs 2^128 tries anyway) or to load the database. Kept
// per node, in memory: a rough bound, not an account.
class VisitLimiter {
  public:
    static constexpr int kRequests = 120;
    static constexpr std::chrono::minutes kWindow{10};
    static constexpr std::size_t kAddresses = 50000;

    // Seconds to wait, or 0 when the request may go on.
    long long admit(const std::string& address, std::chrono::steady_clock::time_point now) {
        std::lock_guard lock(mutex_);
        if (now - window_start_ >= kWindow || counts_.size() >= kAddresses) {
            counts_.clear();
            window_start_ = now;
        }
        if (++counts_[address] <= kRequests) return 0;
        auto left = std::chrono::duration_cast<std::chrono::seconds>(window_start_ + kWindow - now);
        return std::max<long long>(1, left.count());
    }

  private:
    std::mutex mutex_;
    std::chrono::steady_clock::time_point window_start_{};
    std::unordered_map<std::string, int> counts_;
};

VisitLimiter& limiter() {
    static VisitLimiter instance;
    return instance;
}

// The appointment the request's token names; 429 past the limit, 401 for a token that is not
// ours, altered or expired (the page then says the link no longer works, and shows nothing).
desk::AppointmentRow visit(ApiRequest& request, bool for_update) {
    const auto& address = request.http.client_address.empty() ? request.http.remote_address
                                                              : request.http.client_address;
    if (auto wait = limiter().admit(address, std::chrono::steady_clock::now()))
        throw Problem(429, "Too many requests; try again later.")
            .with_header("Retry-After", std::to_string(wait));
    auto header = request.http.header("Authorization");
    constexpr std::string_view kScheme = "Bearer ";
    auto token = header.rfind(kScheme, 0) == 0 ? header.substr(kScheme.size()) : std::string();
    auto id = messaging::VisitLink::load(request.db).appointment(token, request.now_instant);
    if (!id) {
        throw Problem(401, "This link is not valid or has expired.")
            .with_header("WWW-Authenticate", "Bearer");
    }
    auto row = desk::Appointments::load(request.db, *id, for_update);
    if (!row) throw Problem(401, "This link is not valid or has expired.");
    return *row;
}

desk::Actor citizen(const ApiRequest& request, const desk::AppointmentRow& row) {
    return desk::Actor{"citizen", row.id, request.http.client_address};
}

Response show(ApiRequest& request) {
    auto row = visit(request, false);
    return AppointmentRequest::with_etag(
        200, desk::Appointments::citizen_view_json(request.db, row.id), row.version);
}

// The free slots of the visit's site and service on a local date, in the citizen's language;
// only their times (how many booths or agents are free is none of the citizen's business).
Response free_slots(ApiRequest& request) {
    auto row = visit(request, false);
    auto date = request.http.query_param("date");
    if (!date || !domain::TimeFormat::parse_date(*date))
        throw Problem(422, "Some parameters are invalid.",
                      {{"date", "is required and must be a date YYYY-MM-DD"}});
    auto all = json::parse(desk::Scheduling::slots_json(request.db, row.site_id, row.service_id,
                                                        *date, request.now, row.language));
    json free = json::array();
    for (const auto& slot : all["slots"]) {
        if (slot["available"].get<long>() > 0 && slot["starts_at"] != row.starts_at)
            free.push_back({{"starts_at", slot["starts_at"]}, {"ends_at", slot["ends_at"]}});
    }
    return json_response(200, json{{"slots", free}}.dump());
}

Response move(ApiRequest& request) {
    return AppointmentRequest::move(
        request, {[&] { return visit(request, true); },
                  [&](const desk::AppointmentRow& current) { return citizen(request, current); },
                  [](db::Connection& db, const desk::AppointmentRow& current,
                     const desk::AppointmentChange&) {
                      return desk::Appointments::citizen_view_json(db, current.id);
                  },
                  "Only a booked appointment can be moved."});
}

Response cancel(ApiRequest& request) {
    auto body = JsonFields::parse_object(request.http);
    JsonFields fields(body, {"reason"});
    auto reason = fields.text("reason", true, 500);
    fields.finish();
    return request.db.transaction([&](db::Connection& db) {
        auto current = visit(request, true);
        AppointmentRequest::check_if_match(request, current.version, false);
        // Once at the booth, the citizen is in the queue: staff end it, not the link.
        if (current.status != "booked")
            throw Problem(409, "This appointment is " + current.status +
                                   ": it can no longer be cancelled here.");
        auto cancelled = desk::Appointments::cancel(db, current, *reason, citizen(request, current),
                                                    request.now);
        return AppointmentRequest::with_etag(
            200, desk::Appointments::citizen_view_json(db, current.id), cancelled.version);
    });
}

}  // namespace

void add_visit_routes(Router& router, ApiContext& ctx) {
    serve(router, ctx, "GET", "/visit", kPublic, show);
    serve(router, ctx, "GET", "/visit/slots", kPublic, free_slots);
    serve(router, ctx, "PATCH", "/visit", kPublic, move);
    serve(router, ctx, "POST", "/visit/cancel", kPublic, cancel);
}

}  // namespace vg::http::api
