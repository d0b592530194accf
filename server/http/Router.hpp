#pragma once
// Routes "METHOD /pattern/{param}" to handlers. A handler answers exactly once through its
// Responder, from any thread (typically a database pool thread): the answer is posted back to the
// connection's own strand. Exceptions thrown by a handler, or passed to Responder::fail, become
// problem+json through ErrorMapper.
#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/Request.hpp"
#include "http/Response.hpp"

namespace vg::http {

using Params = std::unordered_map<std::string, std::string>;

class Responder {
  public:
    using Sink = std::function<void(Response)>;
    // request_id only labels the log line of an unexpected error.
    explicit Responder(std::shared_ptr<Sink> sink, std::string request_id = {});
    void operator()(Response response) const;   // sends; later calls do nothing
    void fail(std::exception_ptr error) const;  // sends the problem+json of error

  private:
    // Shared by the copies: the first answer wins.
    struct State {
        std::shared_ptr<Sink> sink;
        std::string request_id;
        std::atomic<bool> answered{false};
    };
    std::shared_ptr<State> state_;
};

// The request and params stay valid until the handler answers (the connection keeps them).
using Handler = std::function<void(const Request&, const Params&, Responder)>;

struct RouteMatch {
    const Handler* handler = nullptr;  // null: no route (404), or see method_not_allowed
    std::string pattern;               // the route's pattern, for metrics labels
    Params params;
    bool method_not_allowed = false;  // the path exists with other methods (405)
    std::string allow;                // for 405: the methods of the path, "GET, POST"
};

class Router {
  public:
    // pattern: "/api/v1/sites/{id}/booths"; a {name} segment matches one non-empty segment.
    void add(std::string method, std::string pattern, Handler handler);
    RouteMatch match(const std::string& method, const std::string& path) const;
    // Every (method, pattern) served, for the OpenAPI comparison test.
    std::vector<std::pair<std::string, std::string>> routes() const;

  private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
    };
    std::vector<Route> routes_;
};

}  // namespace vg::http
