#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "db/Connection.hpp"
#include "http/ErrorMapper.hpp"

namespace vg::http {
namespace {

std::string header(const Response& response, const std::string& name) {
    for (const auto& [n, v] : response.headers) {
        if (n == name) return v;
    }
    return {};
}

template <typename E>
Response map(E error) {
    return ErrorMapper::to_response(std::make_exception_ptr(std::move(error)), "test-request");
}

TEST(ErrorMapperTest, ProblemKeepsStatusFieldErrorsAndHeaders) {
    Problem problem(422, "starts_at is not a slot start", {{"starts_at", "not on the grid"}});
    problem.with_header("X-Extra", "1");
    auto response = map(problem);
    EXPECT_EQ(response.status, 422);
    EXPECT_EQ(response.content_type, "application/problem+json");
    EXPECT_EQ(header(response, "X-Extra"), "1");
    auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["status"], 422);
    EXPECT_EQ(body["title"], "Unprocessable Content");
    EXPECT_EQ(body["detail"], "starts_at is not a slot start");
    EXPECT_EQ(body["type"], "https://visioguichet.example/problems/invalid-field");
    ASSERT_EQ(body["errors"].size(), 1u);
    EXPECT_EQ(body["errors"][0]["field"], "starts_at");
    EXPECT_EQ(body["errors"][0]["message"], "not on the grid");
}

TEST(ErrorMapperTest, MalformedJsonIs400) {
    try {
        auto parsed = nlohmann::json::parse("{\"a\":");
        FAIL() << parsed.dump();
    } catch (...) {
        auto response = ErrorMapper::to_response(std::current_exception(), "r");
        EXPECT_EQ(response.status, 400);
        EXPECT_EQ(nlohmann::json::parse(response.body)["status"], 400);
    }
}

TEST(ErrorMapperTest, DatabaseRefusalsMapBySqlstate) {
    EXPECT_EQ(map(db::Error("23P01", "conflicting key value violates exclusion")).status, 409);
    EXPECT_EQ(map(db::Error("23505", "duplicate key")).status, 409);
    EXPECT_EQ(map(db::Error("40001", "could not serialize")).status, 409);
    EXPECT_EQ(map(db::Error("40P01", "deadlock detected")).status, 409);
    EXPECT_EQ(map(db::Error("22007", "invalid datetime format")).status, 422);
    EXPECT_EQ(map(db::Error("42P01", "relation \"secret_table\" does not exist")).status, 500);
}

TEST(ErrorMapperTest, DatabaseDetailsAreNotLeaked) {
    auto response = map(db::Error("23P01",
                                  "conflicting key value violates exclusion constraint "
                                  "\"appointments_booth_no_overlap\""));
    EXPECT_EQ(response.body.find("appointments_booth_no_overlap"), std::string::npos);
}

TEST(ErrorMapperTest, UnavailableDatabaseIs503WithRetryAfter) {
    auto response = map(db::Unavailable("connection refused"));
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(header(response, "Retry-After"), "2");
    EXPECT_EQ(response.content_type, "application/problem+json");
}

TEST(ErrorMapperTest, UnexpectedErrorIs500WithoutDetails) {
    auto response = map(std::runtime_error("password=hunter2 in /etc/secret"));
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
    auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["title"], "Internal Server Error");
    EXPECT_FALSE(body.contains("errors"));
    EXPECT_EQ(ErrorMapper::to_response(std::make_exception_ptr(42), "r").status, 500);
}

TEST(ErrorMapperTest, UnlistedStatusHasBlankType) {
    auto body = nlohmann::json::parse(ErrorMapper::problem(418, "teapot").body);
    EXPECT_EQ(body["type"], "about:blank");
}

}  // namespace
}  // namespace vg::http
