#pragma once
// The one way a handler refuses a request: throw Problem (or let a db::Error escape); the server
// turns it into an RFC 9457 application/problem+json answer in one place (ErrorMapper).
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace vg::http {

struct FieldError {
    std::string field;
    std::string message;
};

class Problem : public std::runtime_error {
  public:
    Problem(int status, std::string detail, std::vector<FieldError> errors = {})
        : std::runtime_error(detail),
          status_(status),
          detail_(std::move(detail)),
          errors_(std::move(errors)) {}

    Problem& with_header(std::string name, std::string value) {
        headers_.emplace_back(std::move(name), std::move(value));
        return *this;
    }

    // An extension member of the answer (RFC 9457 section 3.2), such as a closed site's
    // "opens_at"; value is JSON text.
    Problem& with_member(std::string name, std::string json_value) {
        members_.emplace_back(std::move(name), std::move(json_value));
        return *this;
    }

    int status() const { return status_; }
    const std::string& detail() const { return detail_; }
    const std::vector<FieldError>& errors() const { return errors_; }
    const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }
    const std::vector<std::pair<std::string, std::string>>& members() const { return members_; }

  private:
    int status_;
    std::string detail_;
    std::vector<FieldError> errors_;
    std::vector<std::pair<std::string, std::string>> headers_;
    std::vector<std::pair<std::string, std::string>> members_;
};

}  // namespace vg::http
