#include "http/Router.hpp"

#include <algorithm>
#include <stdexcept>

#include "http/ErrorMapper.hpp"

namespace vg::http {

namespace {

// "/a/b/" -> {"a", "b", ""}: a trailing slash is a different path, so it does not match "/a/b".
std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> segments;
    std::size_t start = 1;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        segments.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return segments;
}

bool is_param(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// How many literal segments a matching route has: "/queue/claim-next" beats "/queue/{id}".
int literal_count(const std::vector<std::string>& segments) {
    return static_cast<int>(std::count_if(segments.begin(), segments.end(),
                                          [](const std::string& s) { return !is_param(s); }));
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             Params* params) {
    if (pattern.size() != path.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (is_param(pattern[i])) {
            if (path[i].empty()) return false;
        } else if (pattern[i] != path[i]) {
            return false;
        }
    }
    if (params) {
        for (std::size_t i = 0; i < pattern.size(); ++i) {
            if (is_param(pattern[i])) {
                (*params)[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
            }
        }
    }
    return true;
}

}  // namespace

Responder::Responder(std::shared_ptr<Sink> sink, std::string request_id)
    : state_(std::make_shared<State>()) {
    state_->sink = std::move(sink);
    state_->request_id = std::move(request_id);
}

void Responder::operator()(Response response) const {
    if (state_->answered.exchange(true) || !state_->sink || !*state_->sink) return;
    (*state_->sink)(std::move(response));
}

void Responder::fail(std::exception_ptr error) const {
    if (state_->answered.exchange(true) || !state_->sink || !*state_->sink) return;
    (*state_->sink)(ErrorMapper::to_response(error, state_->request_id));
}

void Router::add(std::string method, std::string pattern, Handler handler) {
    if (pattern.empty() || pattern.front() != '/') {
        throw std::invalid_argument("route pattern must start with '/': " + pattern);
    }
    auto segments = split_path(pattern);
    for (const auto& route : routes_) {
        if (route.method == method && route.pattern == pattern) {
            throw std::invalid_argument("route added twice: " + method + " " + pattern);
        }
    }
    routes_.push_back(
        Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
    RouteMatch result;
    if (path.empty() || path.front() != '/') return result;
    auto segments = split_path(path);
    const Route* best = nullptr;
    std::vector<std::string> allowed;
    const Route* other_method = nullptr;
    for (const auto& route : routes_) {
        if (!matches(route.segments, segments, nullptr)) continue;
        if (route.method == method) {
            if (!best || literal_count(route.segments) > literal_count(best->segments)) {
                best = &route;
            }
        } else {
            if (!other_method) other_method = &route;
            if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end()) {
                allowed.push_back(route.method);
            }
        }
    }
    if (best) {
        result.handler = &best->handler;
        result.pattern = best->pattern;
        matches(best->segments, segments, &result.params);
        return result;
    }
    if (!allowed.empty()) {
        result.method_not_allowed = true;
        result.pattern = other_method->pattern;
        for (const auto& m : allowed) {
            result.allow += (result.allow.empty() ? "" : ", ") + m;
        }
    }
    return result;
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
    std::vector<std::pair<std::string, std::string>> all;
    all.reserve(routes_.size());
    for (const auto& route : routes_) all.emplace_back(route.method, route.pattern);
    return all;
}

}  // namespace vg::http
