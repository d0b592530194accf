#pragma once
// Lists: ?limit= (default 100, at most 500) and ?cursor= (opaque: base64url of the last row's sort
// key), answered as {"<name>": [...], "next_cursor": "..."} with next_cursor only when more rows
// follow.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "db/Result.hpp"
#include "desk/Principal.hpp"
#include "http/Request.hpp"

namespace vg::http::api {

struct Page {
    int limit = 100;
    std::optional<std::string> after;  // the decoded cursor: the sort key to continue after
};

class Paging {
  public:
    // Problem 422 for a limit outside 1..500 or a cursor that is not one of ours; is_valid_key
    // checks the decoded key (say, a UUID) before it reaches SQL.
    static Page read(const Request& request,
                     const std::function<bool(std::string_view)>& is_valid_key);
    // rows: at most limit + 1 rows (the extra one says there is more); column 0 the item's JSON,
    // key_column the sort key the next page starts after.
    static std::string answer(std::string_view name, const db::Result& rows, const Page& page,
                              int key_column);
    // The sites a principal is limited to, as a PostgreSQL uuid[] literal; nullopt when it
    // reaches every site. Site ids come from the database, so they are safe in the literal.
    static std::optional<std::string> site_scope(const desk::Principal& principal);
};

}  // namespace vg::http::api
