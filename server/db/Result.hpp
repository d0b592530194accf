#pragma once
// The rows of one statement (RAII over PGresult). Values are in text format.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct pg_result;

namespace vg::db {

class Result {
  public:
    explicit Result(pg_result* result);  // takes ownership
    int rows() const;
    int columns() const;
    // Out-of-range rows or columns throw std::out_of_range.
    bool is_null(int row, int column) const;
    std::string_view get(int row, int column) const;  // "" for NULL; valid while Result lives
    std::string_view get(int row, std::string_view column_name) const;
    std::optional<std::string> optional(int row, std::string_view column_name) const;
    int column_index(std::string_view name) const;  // throws std::out_of_range when absent
    std::uint64_t affected_rows() const;            // of INSERT/UPDATE/DELETE

  private:
    void check(int row, int column) const;
    struct Deleter {
        void operator()(pg_result* r) const;
    };
    std::unique_ptr<pg_result, Deleter> result_;
};

}  // namespace vg::db
