#include "http/api/Paging.hpp"

#include <charconv>

#include "common/Secret.hpp"
#include "http/Problem.hpp"

namespace vg::http::api {

Page Paging::read(const Request& request,
                  const std::function<bool(std::string_view)>& is_valid_key) {
    Page page;
    if (auto limit = request.query_param("limit")) {
        int n = 0;
        auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
        if (ec != std::errc{} || ptr != limit->data() + limit->size() || n < 1 || n > 500)
            throw Problem(422, "Some parameters are invalid.",
                          {{"limit", "must be an integer from 1 to 500"}});
        page.limit = n;
    }
    if (auto cursor = request.query_param("cursor")) {
        auto key = cursor->size() <= 200 ? common::secret::base64url_decode(*cursor) : std::nullopt;
        if (!key || !is_valid_key(*key))
            throw Problem(422, "Some parameters are invalid.",
                          {{"cursor", "is not a cursor this server gave"}});
        page.after = *key;
    }
    return page;
}

std::string Paging::answer(std::string_view name, const db::Result& rows, const Page& page,
                           int key_column) {
    std::string body = "{\"" + std::string(name) + "\":[";
    int shown = std::min(rows.rows(), page.limit);
    for (int i = 0; i < shown; ++i) {
        if (i > 0) body += ',';
        body += rows.get(i, 0);
    }
    body += ']';
    if (rows.rows() > page.limit) {
        body += ",\"next_cursor\":\"" +
                common::secret::base64url_encode(rows.get(shown - 1, key_column)) + "\"";
    }
    return body + "}";
}

std::optional<std::string> Paging::site_scope(const desk::Principal& principal) {
    if (principal.all_sites()) return std::nullopt;
    std::string list = "{";
    for (const auto& id : principal.site_ids) {
        if (id.empty()) continue;
        if (list.size() > 1) list += ',';
        list += id;
    }
    return list + "}";
}

}  // namespace vg::http::api
