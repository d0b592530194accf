#include "http/api/Auth.hpp"

#include "desk/Credentials.hpp"
#include "http/Problem.hpp"

namespace vg::http::api {

namespace {

Problem unauthenticated(std::string detail) {
    Problem problem(401, std::move(detail));
    problem.with_header("WWW-Authenticate", "Bearer");
    return problem;
}

}  // namespace

desk::Principal Auth::authenticate(db::Connection& db, const Request& request,
                                   const std::string& now, std::chrono::seconds idle_timeout) {
    auto token = request.bearer_token();
    if (token.empty()) throw unauthenticated("A bearer token is required.");
    auto principal = desk::Credentials::resolve(db, token, now, idle_timeout);
    if (!principal) throw unauthenticated("The token is not valid.");
    return *principal;
}

void Auth::require_role(const desk::Principal& principal, desk::Roles roles) {
    if (!principal.roles.shares(roles)) throw Problem(403, "This is not allowed for this caller.");
}

void Auth::require_site(const desk::Principal& principal, const std::string& site_id) {
    if (!principal.covers(site_id)) throw Problem(403, "This site is not one of the caller's.");
}

}  // namespace vg::http::api
