#include <gtest/gtest.h>

#include <optional>

#include "http/Router.hpp"

namespace vg::http {
namespace {

Handler answer(int status) {
    return [status](const Request&, const Params&, Responder respond) {
        Response response;
        response.status = status;
        respond(std::move(response));
    };
}

// Runs the matched handler and returns the status it answered.
int run(const RouteMatch& match) {
    auto answered = std::make_shared<std::optional<Response>>();
    auto sink = std::make_shared<Responder::Sink>([answered](Response r) { *answered = r; });
    (*match.handler)(Request{}, match.params, Responder(sink));
    return answered->has_value() ? (*answered)->status : 0;
}

TEST(RouterTest, MatchesLiteralAndParameterSegments) {
    Router router;
    router.add("GET", "/api/v1/sites", answer(200));
    router.add("GET", "/api/v1/sites/{id}/booths", answer(201));
    router.add("POST", "/api/v1/sites/{id}/booths", answer(202));

    auto list = router.match("GET", "/api/v1/sites");
    ASSERT_NE(list.handler, nullptr);
    EXPECT_EQ(run(list), 200);
    EXPECT_EQ(list.pattern, "/api/v1/sites");

    auto booths = router.match("POST", "/api/v1/sites/abc-123/booths");
    ASSERT_NE(booths.handler, nullptr);
    EXPECT_EQ(run(booths), 202);
    EXPECT_EQ(booths.params.at("id"), "abc-123");
    EXPECT_EQ(booths.pattern, "/api/v1/sites/{id}/booths");
}

TEST(RouterTest, UnknownPathsAndEmptySegmentsDoNotMatch) {
    Router router;
    router.add("GET", "/api/v1/sites/{id}", answer(200));
    EXPECT_EQ(router.match("GET", "/api/v1/sites/").handler, nullptr);
    EXPECT_EQ(router.match("GET", "/api/v1/sites").handler, nullptr);
    EXPECT_EQ(router.match("GET", "/api/v1/sites/x/y").handler, nullptr);
    EXPECT_EQ(router.match("GET", "/api/v1/sites/x/").handler, nullptr);
    EXPECT_FALSE(router.match("GET", "/nowhere").method_not_allowed);
}

TEST(RouterTest, WrongMethodGivesMethodNotAllowedWithAllow) {
    Router router;
    router.add("GET", "/api/v1/services", answer(200));
    router.add("POST", "/api/v1/services", answer(201));
    auto match = router.match("DELETE", "/api/v1/services");
    EXPECT_EQ(match.handler, nullptr);
    EXPECT_TRUE(match.method_not_allowed);
    EXPECT_EQ(match.allow, "GET, POST");
    EXPECT_EQ(match.pattern, "/api/v1/services");
}

TEST(RouterTest, LiteralSegmentBeatsParameter) {
    Router router;
    router.add("POST", "/api/v1/queue/{id}", answer(200));
    router.add("POST", "/api/v1/queue/claim-next", answer(201));
    EXPECT_EQ(run(router.match("POST", "/api/v1/queue/claim-next")), 201);
    EXPECT_EQ(run(router.match("POST", "/api/v1/queue/42")), 200);
}

TEST(RouterTest, ListsRoutesAndRefusesDuplicates) {
    Router router;
    router.add("GET", "/healthz", answer(200));
    router.add("GET", "/metrics", answer(200));
    EXPECT_EQ(router.routes().size(), 2u);
    EXPECT_EQ(router.routes()[1].second, "/metrics");
    EXPECT_THROW(router.add("GET", "/healthz", answer(200)), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "healthz", answer(200)), std::invalid_argument);
}

TEST(RouterTest, ResponderAnswersOnce) {
    int calls = 0;
    int last_status = 0;
    auto sink = std::make_shared<Responder::Sink>([&](Response r) {
        ++calls;
        last_status = r.status;
    });
    {
        Responder respond(sink);
        respond(Response{});
        respond(Response{404, "", {}, ""});
        respond.fail(std::make_exception_ptr(std::runtime_error("late")));
    }
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(last_status, 200);
    Responder failing(sink, "req-1");
    Responder copy = failing;
    failing.fail(std::make_exception_ptr(std::runtime_error("first")));
    copy(Response{});
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(last_status, 500);
}

}  // namespace
}  // namespace vg::http
