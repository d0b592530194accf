#include "http/Request.hpp"

#include <algorithm>
#include <cctype>

namespace vg::http {

namespace {

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](char x, char y) { return lower(x) < lower(y); });
}

std::string Request::header(std::string_view name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    auto it = query.find(std::string(name));
    if (it == query.end()) return std::nullopt;
    return it->second;
}

std::string Request::bearer_token() const {
    const std::string authorization_header = header("Authorization");
    std::string_view authorization = trim(authorization_header);
    constexpr std::string_view scheme = "Bearer ";
    if (authorization.size() > scheme.size() &&
        iequals(authorization.substr(0, scheme.size()), scheme)) {
        return std::string(trim(authorization.substr(scheme.size())));
    }
    std::string cookies = header("Cookie");
    std::string_view rest = cookies;
    while (!rest.empty()) {
        auto end = rest.find(';');
        std::string_view pair = trim(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == "vg_session") {
            std::string_view value = trim(pair.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            return std::string(value);
        }
    }
    return {};
}

bool Request::set_target(std::string raw_target) {
    if (raw_target.empty() || raw_target.front() != '/') return false;
    std::string_view view = raw_target;
    auto question = view.find('?');
    auto decoded_path = percent_decode(view.substr(0, question), false);
    if (!decoded_path) return false;
    std::map<std::string, std::string> decoded_query;
    if (question != std::string_view::npos) {
        std::string_view rest = view.substr(question + 1);
        if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
        while (!rest.empty()) {
            auto amp = rest.find('&');
            std::string_view pair = rest.substr(0, amp);
            rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
            if (pair.empty()) continue;
            auto eq = pair.find('=');
            auto name = percent_decode(pair.substr(0, eq), true);
            auto value = percent_decode(
                eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
            if (!name || !value) return false;
            // The first occurrence wins, so a parameter cannot be overridden by appending it.
            decoded_query.emplace(std::move(*name), std::move(*value));
        }
    }
    target = std::move(raw_target);
    path = std::move(*decoded_path);
    query = std::move(decoded_query);
    return true;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            int high = hex_value(text[i + 1]);
            int low = hex_value(text[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            c = static_cast<char>(high * 16 + low);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c == '\0') return std::nullopt;
        out.push_back(c);
    }
    return out;
}

}  // namespace vg::http
