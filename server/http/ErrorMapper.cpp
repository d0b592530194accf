#include "http/ErrorMapper.hpp"

#include <nlohmann/json.hpp>

#include "common/Log.hpp"
#include "db/Connection.hpp"

namespace vg::http {

namespace {

constexpr std::string_view kProblemBase = "https://visioguichet.example/problems/";

// Stable problem types that clients may switch on; other statuses are "about:blank".
std::string_view slug(int status) {
    switch (status) {
        case 400:
            return "malformed-request";
        case 401:
            return "unauthenticated";
        case 403:
            return "forbidden";
        case 404:
            return "not-found";
        case 405:
            return "method-not-allowed";
        case 408:
            return "request-timeout";
        case 409:
            return "conflict";
        case 412:
            return "precondition-failed";
        case 413:
            return "body-too-large";
        case 415:
            return "unsupported-media-type";
        case 422:
            return "invalid-field";
        case 428:
            return "precondition-required";
        case 429:
            return "too-many-requests";
        case 431:
            return "headers-too-large";
        case 500:
            return "internal-error";
        case 503:
            return "unavailable";
        default:
            return {};
    }
}

Response database_refusal(const db::Error& error, const std::string& request_id) {
    const std::string& state = error.sqlstate();
    if (state == "23P01" || state == "23505") {
        return ErrorMapper::problem(409, "This conflicts with existing data.");
    }
    if (state == "23503") {
        return ErrorMapper::problem(409, "This refers to, or is referred to by, other data.");
    }
    if (state == "40001" || state == "40P01" || state == "55P03") {
        return ErrorMapper::problem(409, "A concurrent change got there first; try again.");
    }
    if (state.rfind("22", 0) == 0 || state == "23502" || state == "23514") {
        return ErrorMapper::problem(422, "A value was out of range or of the wrong form.");
    }
    if (state == "57014") {
        auto response = ErrorMapper::problem(503, "The database took too long; try again.");
        response.headers.emplace_back("Retry-After", "2");
        return response;
    }
    common::log::get("http")->error("request {}: database error {}: {}", request_id, state,
                                    error.what());
    return ErrorMapper::problem(500, "The server could not complete this request.");
}

}  // namespace

std::string_view ErrorMapper::title(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 204:
            return "No Content";
        case 304:
            return "Not Modified";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 409:
            return "Conflict";
        case 410:
            return "Gone";
        case 412:
            return "Precondition Failed";
        case 413:
            return "Content Too Large";
        case 415:
            return "Unsupported Media Type";
        case 422:
            return "Unprocessable Content";
        case 428:
            return "Precondition Required";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 503:
            return "Service Unavailable";
        default:
            return "Unknown";
    }
}

Response ErrorMapper::problem(int status, std::string detail, std::vector<FieldError> errors) {
    auto type = slug(status);
    nlohmann::json body = {
        {"type",
         type.empty() ? std::string("about:blank") : std::string(kProblemBase) + std::string(type)},
        {"title", title(status)},
        {"status", status},
        {"detail", std::move(detail)},
    };
    if (!errors.empty()) {
        auto& list = body["errors"] = nlohmann::json::array();
        for (auto& e : errors) {
            list.push_back({{"field", std::move(e.field)}, {"message", std::move(e.message)}});
        }
    }
    Response response;
    response.status = status;
    response.content_type = "application/problem+json";
    // Invalid UTF-8 in a detail (say, an echoed field) must not turn a 4xx into a crash.
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return response;
}

Response ErrorMapper::to_response(std::exception_ptr error, const std::string& request_id) {
    try {
        std::rethrow_exception(error);
    } catch (const Problem& p) {
        auto response = problem(p.status(), p.detail(), p.errors());
        for (const auto& header : p.headers()) response.headers.push_back(header);
        if (!p.members().empty()) {
            auto body = nlohmann::json::parse(response.body);
            for (const auto& [name, value] : p.members()) body[name] = nlohmann::json::parse(value);
            response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
        return response;
    } catch (const nlohmann::json::parse_error& e) {
        return problem(400, std::string("The body is not valid JSON: ") + e.what());
    } catch (const db::Unavailable& e) {
        common::log::get("http")->warn("request {}: database unavailable: {}", request_id,
                                       e.what());
        auto response = problem(503, "The database is unavailable; try again shortly.");
        response.headers.emplace_back("Retry-After", "2");
        return response;
    } catch (const db::Error& e) {
        return database_refusal(e, request_id);
    } catch (const std::exception& e) {
        common::log::get("http")->error("request {}: unexpected error: {}", request_id, e.what());
    } catch (...) {
        common::log::get("http")->error("request {}: unexpected non-standard exception",
                                        request_id);
    }
    return problem(500, "The server could not complete this request.");
}

}  // namespace vg::http
