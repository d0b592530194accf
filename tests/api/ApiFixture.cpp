#include "api/ApiFixture.hpp"

#include <strings.h>

#include <future>
#include <set>

#include "api/OpenApiSpec.hpp"
#include "desk/ApiKeys.hpp"
#include "domain/TimeFormat.hpp"
#include "http/ErrorMapper.hpp"
#include "http/api/Routes.hpp"

namespace vg::test {

using nlohmann::json;

std::string Reply::header(const std::string& name) const {
    for (const auto& [key, value] : headers)
        if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
    return {};
}

void ApiTest::SetUp() {
    database_ = std::make_unique<TestDatabase>();
    open(database_->url());
}

void ApiTest::open(const std::string& url) {
    sql_ = std::make_unique<db::Connection>(url);
    pool_ = std::make_unique<db::Pool>(db::PoolOptions{url, 4});
    desk::Options options;
    // The default costs tens of milliseconds per login; the login limits test sets it back.
    options.password_hashing = {1024, 1, 1};
    ctx_ = std::make_unique<http::api::ApiContext>(http::api::ApiContext{*pool_, options});
    set_now("2026-11-30T12:00:00Z");
    ctx_->clock = [this] {
        return std::chrono::system_clock::time_point(std::chrono::microseconds(now_us_.load()));
    };
    http::api::register_routes(router_, *ctx_);
    admin_ = desk::create_api_key(*sql_, "test admin", "admin");
}

void ApiTest::TearDown() {
    ctx_.reset();  // its password hashing threads first: their work ends on the pool
    pool_.reset();
    sql_.reset();
    database_.reset();
}

void ApiTest::set_now(const std::string& rfc3339) {
    auto instant = domain::TimeFormat::parse_instant(rfc3339);
    ASSERT_TRUE(instant) << rfc3339;
    now_us_ = instant->time_since_epoch().count();
}

Reply ApiTest::call(const std::string& method, const std::string& target, const std::string& token,
                    const json& body, Headers headers) {
    headers.emplace("Content-Type", "application/json");
    return call(method, target, token, body.dump(), std::move(headers));
}

Reply ApiTest::call(const std::string& method, const std::string& target, const std::string& token,
                    const std::string& body, Headers headers) {
    http::Request request;
    request.method = method;
    request.target = target;
    auto question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos) {
        std::string query = target.substr(question + 1);
        std::size_t start = 0;
        while (start <= query.size()) {
            auto amp = query.find('&', start);
            if (amp == std::string::npos) amp = query.size();
            auto pair = query.substr(start, amp - start);
            auto eq = pair.find('=');
            if (!pair.empty())
                request.query[pair.substr(0, eq)] =
                    eq == std::string::npos ? "" : pair.substr(eq + 1);
            start = amp + 1;
        }
    }
    for (auto& [name, value] : headers) request.headers[name] = value;
    if (!token.empty()) request.headers["Authorization"] = "Bearer " + token;
    if (!body.empty() && !request.headers.count("Content-Type"))
        request.headers["Content-Type"] = "application/json";
    request.body = body;
    request.remote_address = "127.0.0.1";
    // As behind a trusted proxy: a test speaks for several clients through X-Forwarded-For.
    request.client_address =
        headers.count("X-Forwarded-For") ? headers["X-Forwarded-For"] : request.remote_address;
    request.request_id = "test";

    http::Response response;
    auto match = router_.match(method, request.path);
    if (match.handler == nullptr) {
        response = http::ErrorMapper::problem(match.method_not_allowed ? 405 : 404, "no route");
    } else {
        auto promise = std::make_shared<std::promise<http::Response>>();
        auto future = promise->get_future();
        auto sink = std::make_shared<http::Responder::Sink>(
            [promise](http::Response r) { promise->set_value(std::move(r)); });
        try {
            (*match.handler)(request, match.params, http::Responder(sink, "test"));
        } catch (...) {
            http::Responder(sink, "test").fail(std::current_exception());
        }
        if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
            ADD_FAILURE() << method << " " << target << ": no answer within 30 s";
            return {};
        }
        response = future.get();
    }
    Reply reply;
    reply.status = response.status;
    reply.raw = response.body;
    reply.content_type = response.content_type;
    reply.headers = response.headers;
    if (!response.body.empty()) reply.body = json::parse(response.body, nullptr, false);
    if (reply.body.is_discarded()) reply.body = nullptr;
    // Every answer a test sees must be one the spec describes.
    if (match.handler != nullptr) {
        auto problems = OpenApiSpec::get().check(method, match.pattern, reply.status,
                                                 reply.content_type, reply.body);
        EXPECT_EQ(problems, "") << method << " " << target << " -> " << reply.status << " "
                                << reply.raw.substr(0, 300);
    }
    return reply;
}

int ApiTest::count(const std::string& table) {
    return std::stoi(std::string(sql().exec("SELECT count(*) FROM " + table).get(0, 0)));
}

std::string ApiTest::snapshot() {
    std::string all;
    for (const char* table : {"sites",           "booths",
                              "services",        "agents",
                              "agent_sites",     "agent_services",
                              "agent_languages", "availability_rules",
                              "appointments",    "appointment_history",
                              "queue_entries",   "agent_presence",
                              "agent_sessions",  "call_sessions",
                              "api_keys",        "idempotency_keys",
                              "audit_events",    "domain_events",
                              "messages",        "site_hours",
                              "site_closures",   "agent_absences"}) {
        auto rows = sql().exec(std::string("SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY "
                                           "t::text)), '') FROM ") +
                               table + " t");
        all += std::string(table) + ":" + std::string(rows.get(0, 0)) + ";";
    }
    return all;
}

std::string ApiTest::new_key(const std::string& role) {
    return desk::create_api_key(sql(), "test " + role, role);
}

json ApiTest::make_site(const std::string& code, const std::string& tz) {
    auto r = call("POST", "/api/v1/sites", admin_,
                  json{{"code", code},
                       {"name_fr", "Site " + code},
                       {"name_en", "Site " + code},
                       {"timezone", tz}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
}

json ApiTest::make_service(const std::string& code, int minutes, bool walk_in) {
    auto r = call("POST", "/api/v1/services", admin_,
                  json{{"code", code},
                       {"name_fr", "Aide à l'emploi"},
                       {"name_en", "Employment help"},
                       {"duration_minutes", minutes},
                       {"walk_in_allowed", walk_in}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
}

json ApiTest::make_booth(const std::string& site_id, const std::string& label) {
    auto r = call("POST", "/api/v1/sites/" + site_id + "/booths", admin_, json{{"label", label}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
}

std::string ApiTest::enroll(const std::string& site_id) {
    auto booth = make_booth(site_id);
    auto r = call("POST", "/api/v1/booth/enroll", "",
                  json{{"enrollment_token", booth["enrollment_token"]}});
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body.value("booth_token", "");
}

json ApiTest::make_agent(const std::string& email, const json& roles, const json& site_ids,
                         const json& service_ids, const json& languages) {
    auto r = call("POST", "/api/v1/agents", admin_,
                  json{{"email", email},
                       {"display_name", "Agent " + email},
                       {"password", kPassword},
                       {"roles", roles},
                       {"site_ids", site_ids},
                       {"service_ids", service_ids},
                       {"languages", languages}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
}

std::string ApiTest::login(const std::string& email) {
    auto r =
        call("POST", "/api/v1/auth/login", "", json{{"email", email}, {"password", kPassword}});
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body.value("token", "");
}

void ApiTest::set_availability(const std::string& agent_id, const json& rules) {
    auto r =
        call("PUT", "/api/v1/agents/" + agent_id + "/availability", admin_, json{{"rules", rules}});
    EXPECT_EQ(r.status, 200) << r.raw;
}

desk::HousekeepingReport ApiTest::run_housekeeping() {
    auto now = std::chrono::time_point_cast<std::chrono::microseconds>(ctx_->clock());
    return desk::Housekeeping::run(sql(), ctx_->options, domain::TimeFormat::format_instant(now));
}

}  // namespace vg::test
