#pragma once
// The one place where a refused or failed request becomes an RFC 9457 application/problem+json
// answer: {type, title, status, detail, errors?}. Unexpected exceptions are logged with the
// request id and answered 500 without their details.
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "http/Problem.hpp"
#include "http/Response.hpp"

namespace vg::http {

class ErrorMapper {
  public:
    // http::Problem -> its status and headers; JSON parse error -> 400; db::Error by sqlstate
    // (23P01, 23505, 23503, 40001, 40P01, 55P03 -> 409; 22xxx, 23502, 23514 -> 422; 57014 ->
    // 503); db::Unavailable -> 503 with Retry-After; anything else -> 500.
    static Response to_response(std::exception_ptr error, const std::string& request_id);
    static Response problem(int status, std::string detail, std::vector<FieldError> errors = {});
    // The RFC 9110 reason phrase ("Not Found"); "Unknown" for codes not listed.
    static std::string_view title(int status);
};

}  // namespace vg::http
