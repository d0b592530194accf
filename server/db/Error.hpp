#pragma once
// What a database call throws: Unavailable when PostgreSQL cannot be reached (the caller answers
// 503), Error when PostgreSQL refused the statement (the caller maps the sqlstate).
#include <stdexcept>
#include <string>
#include <utility>

namespace vg::db {

// The database could not be reached, the connection broke, or the pool refused the job.
class Unavailable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The database refused a statement: sqlstate says why ("23P01" exclusion violation, "23505"
// unique violation, "40001" serialization failure, "55P03" lock not available, "57014"
// statement timeout, ...); constraint names the violated constraint, if any.
class Error : public std::runtime_error {
  public:
    Error(std::string sqlstate, const std::string& message, std::string constraint = {})
        : std::runtime_error(message),
          sqlstate_(std::move(sqlstate)),
          constraint_(std::move(constraint)) {}
    const std::string& sqlstate() const { return sqlstate_; }
    const std::string& constraint() const { return constraint_; }

  private:
    std::string sqlstate_;
    std::string constraint_;
};

}  // namespace vg::db
