#include <gtest/gtest.h>

#include "http/Problem.hpp"
#include "http/Request.hpp"
#include "http/RequireJson.hpp"

namespace vg::http {
namespace {

TEST(RequestTest, HeadersAreCaseInsensitive) {
    Request request;
    request.headers["Content-Type"] = "application/json";
    EXPECT_EQ(request.header("content-type"), "application/json");
    EXPECT_EQ(request.header("CONTENT-TYPE"), "application/json");
    EXPECT_EQ(request.header("Accept"), "");
}

TEST(RequestTest, TargetIsSplitAndPercentDecoded) {
    Request request;
    ASSERT_TRUE(
        request.set_target("/api/v1/sites/a%20b?date=2026-12-01&name=Jos%C3%A9+Li&flag&x="));
    EXPECT_EQ(request.path, "/api/v1/sites/a b");
    EXPECT_EQ(request.query_param("date"), "2026-12-01");
    EXPECT_EQ(request.query_param("name"), "José Li");
    EXPECT_EQ(request.query_param("flag"), "");
    EXPECT_EQ(request.query_param("x"), "");
    EXPECT_EQ(request.query_param("missing"), std::nullopt);
    EXPECT_EQ(request.target, "/api/v1/sites/a%20b?date=2026-12-01&name=Jos%C3%A9+Li&flag&x=");
}

TEST(RequestTest, FirstQueryParameterWins) {
    Request request;
    ASSERT_TRUE(request.set_target("/a?role=agent&role=admin"));
    EXPECT_EQ(request.query_param("role"), "agent");
}

TEST(RequestTest, MalformedTargetsAreRefused) {
    Request request;
    EXPECT_FALSE(request.set_target("http://example.com/x"));
    EXPECT_FALSE(request.set_target("/a%zz"));
    EXPECT_FALSE(request.set_target("/a%2"));
    EXPECT_FALSE(request.set_target("/a%00b"));
    EXPECT_FALSE(request.set_target("/a?x=%00"));
    EXPECT_FALSE(request.set_target(""));
}

TEST(RequestTest, BearerTokenFromAuthorizationThenCookie) {
    Request request;
    EXPECT_EQ(request.bearer_token(), "");
    request.headers["Cookie"] = "theme=dark; vg_session=cookie-token; other=1";
    EXPECT_EQ(request.bearer_token(), "cookie-token");
    request.headers["Authorization"] = "bearer header-token";
    EXPECT_EQ(request.bearer_token(), "header-token");
    request.headers["Authorization"] = "Basic dXNlcjpwYXNz";
    EXPECT_EQ(request.bearer_token(), "cookie-token");
    request.headers.erase("Cookie");
    request.headers["Cookie"] = "vg_session_old=x";
    EXPECT_EQ(request.bearer_token(), "");
}

TEST(RequestTest, RequireJsonRefusesOtherBodies) {
    Request request;
    EXPECT_NO_THROW(require_json(request));  // no body: nothing to check
    request.body = "{}";
    try {
        require_json(request);
        FAIL() << "a body without Content-Type was accepted";
    } catch (const Problem& p) {
        EXPECT_EQ(p.status(), 415);
    }
    request.headers["Content-Type"] = "text/plain";
    EXPECT_THROW(require_json(request), Problem);
    request.headers["Content-Type"] = "Application/JSON; charset=utf-8";
    EXPECT_NO_THROW(require_json(request));
}

}  // namespace
}  // namespace vg::http
