#include "db/Result.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <stdexcept>

namespace vg::db {

void Result::Deleter::operator()(pg_result* r) const {
    PQclear(r);
}

Result::Result(pg_result* result) : result_(result) {}

int Result::rows() const {
    return PQntuples(result_.get());
}

int Result::columns() const {
    return PQnfields(result_.get());
}

void Result::check(int row, int column) const {
    if (row < 0 || row >= rows() || column < 0 || column >= columns()) {
        throw std::out_of_range("no row " + std::to_string(row) + " column " +
                                std::to_string(column) + " in result");
    }
}

bool Result::is_null(int row, int column) const {
    check(row, column);
    return PQgetisnull(result_.get(), row, column) != 0;
}

std::string_view Result::get(int row, int column) const {
    check(row, column);
    return {PQgetvalue(result_.get(), row, column),
            static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::string_view Result::get(int row, std::string_view column_name) const {
    return get(row, column_index(column_name));
}

std::optional<std::string> Result::optional(int row, std::string_view column_name) const {
    const int column = column_index(column_name);
    if (is_null(row, column)) return std::nullopt;
    return std::string(get(row, column));
}

int Result::column_index(std::string_view name) const {
    // PQfnumber would fold case and parse quotes; column names here are compared exactly.
    for (int column = 0; column < columns(); ++column) {
        if (name == PQfname(result_.get(), column)) return column;
    }
    throw std::out_of_range("no column \"" + std::string(name) + "\" in result");
}

std::uint64_t Result::affected_rows() const {
    const char* text = PQcmdTuples(result_.get());
    std::uint64_t count = 0;
    std::from_chars(text, text + std::strlen(text), count);
    return count;
}

}  // namespace vg::db
