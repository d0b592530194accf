#include "http/api/ClosedSite.hpp"

#include <nlohmann/json.hpp>

#include "desk/SiteHours.hpp"
#include "http/Problem.hpp"

namespace vg::http::api {

namespace {

// null when the site opens in none of the next 400 days (no hours at all, a long closure).
std::string opens_at_member(const desk::Opening& opening) {
    return opening.opens_at ? nlohmann::json(*opening.opens_at).dump() : "null";
}

}  // namespace

void ClosedSite::refuse_arrival(db::Connection& db, const std::string& site_id,
                                const std::string& now) {
    auto opening = desk::SiteHours::opening(db, site_id, now);
    if (opening.open) return;
    throw Problem(409, "The site is closed now.").with_member("opens_at", opens_at_member(opening));
}

void ClosedSite::refuse_booking(db::Connection& db, const std::string& site_id,
                                const std::string& starts_at) {
    auto opening = desk::SiteHours::opening(db, site_id, starts_at);
    if (opening.open) return;
    throw Problem(422, "Some fields are invalid.",
                  {{"starts_at", "falls while the site is closed (see opens_at)"}})
        .with_member("opens_at", opens_at_member(opening));
}

}  // namespace vg::http::api
