#pragma once
// The refusals of a closed site, each with "opens_at" (CONTRACT.md "Added 2026-12-07 /
// Citizens"): a walk-in or check-in while the site is closed is 409; a booking at a time when it
// is closed is 422, the invalid field being starts_at.
#include <string>

#include "db/Connection.hpp"

namespace vg::http::api {

class ClosedSite {
  public:
    // Problem 409 when the site is closed at now.
    static void refuse_arrival(db::Connection& db, const std::string& site_id,
                               const std::string& now);
    // Problem 422 when the site is closed at starts_at; nothing otherwise.
    static void refuse_booking(db::Connection& db, const std::string& site_id,
                               const std::string& starts_at);
};

}  // namespace vg::http::api
