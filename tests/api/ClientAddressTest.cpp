// Behind a reverse proxy every request comes from the proxy's address: the audit rows and the
// agent sessions must name the client the trusted proxy forwards for, and only a trusted proxy
// may name it. Through the real HTTP server, since that is where X-Forwarded-For is read.
#include "api/ApiFixture.hpp"
#include "http/Metrics.hpp"
#include "http/Server.hpp"
#include "support/HttpClient.hpp"

namespace vg::test {

using nlohmann::json;

class ClientAddress : public ApiTest {
  protected:
    // A server on port 0 whose proxies are the given CIDR blocks ("" for none).
    std::unique_ptr<http::Server> serve(const std::string& trusted_proxies) {
        http::ServerOptions options;
        options.port = 0;
        options.threads = 1;
        options.trusted_proxies = trusted_proxies;
        auto server = std::make_unique<http::Server>(options, router_, metrics_);
        server->start();
        return server;
    }

    HttpResponse post(const http::Server& server, const std::string& path,
                      const std::string& forwarded_for, const json& body,
                      const std::string& token = {}) {
        HttpHeaders headers{{"Content-Type", "application/json"},
                            {"X-Forwarded-For", forwarded_for}};
        if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
        return http_request("POST", "127.0.0.1", server.port(), path, headers, body.dump());
    }

    // A login with a wrong password, which is audited as agent.login_failed.
    void fail_login(const http::Server& server, const std::string& forwarded_for) {
        auto refused = post(server, "/api/v1/auth/login", forwarded_for,
                            {{"email", "a@example.org"}, {"password", "wrong password"}});
        EXPECT_EQ(refused.status, 401) << refused.body;
    }

    std::string audited_address(const std::string& action) {
        auto rows = sql().exec(
            "SELECT coalesce(string_agg(source_address, ','), '') FROM audit_events "
            "WHERE action = $1",
            {action});
        return std::string(rows.get(0, 0));
    }

    http::Metrics metrics_;
};

TEST_F(ClientAddress, LoginsAreAuditedWithTheAddressATrustedProxyForwards) {
    make_agent("a@example.org", {"agent"}, json::array(), json::array());
    auto server = serve("127.0.0.0/8");

    fail_login(*server, "192.0.2.1, 198.51.100.7");
    EXPECT_EQ(audited_address("agent.login_failed"), "198.51.100.7");

    auto accepted = post(*server, "/api/v1/auth/login", "198.51.100.8",
                         {{"email", "a@example.org"}, {"password", kPassword}});
    EXPECT_EQ(accepted.status, 200) << accepted.body;
    EXPECT_EQ(audited_address("agent.login"), "198.51.100.8");
    EXPECT_EQ(sql().exec("SELECT source_address FROM agent_sessions").get(0, 0), "198.51.100.8");
    server->stop();
}

TEST_F(ClientAddress, BookingsAreAuditedWithTheAddressATrustedProxyForwards) {
    auto site = make_site("NIC")["id"].get<std::string>();
    auto service = make_service("EMP", 30)["id"].get<std::string>();
    make_booth(site);
    auto agent = make_agent("marie@example.org", {"agent"}, json::array({site}),
                            json::array({service}))["id"];
    set_availability(agent,
                     {{{"weekday", 2}, {"start", "09:00"}, {"end", "12:00"}, {"site_id", site}}});
    auto server = serve("127.0.0.0/8");

    auto booked = post(*server, "/api/v1/appointments", "198.51.100.9",
                       {{"site_id", site},
                        {"service_id", service},
                        {"starts_at", "2026-12-01T14:30:00Z"},
                        {"citizen", {{"name", "Jean Tremblay"}, {"language", "fr"}}}},
                       admin_);
    EXPECT_EQ(booked.status, 201) << booked.body;
    EXPECT_EQ(audited_address("appointment.book"), "198.51.100.9");
    server->stop();
}

TEST_F(ClientAddress, AnUntrustedPeerCannotChooseTheAuditedAddress) {
    make_agent("a@example.org", {"agent"}, json::array(), json::array());
    auto server = serve("");

    fail_login(*server, "198.51.100.7");
    EXPECT_EQ(audited_address("agent.login_failed"), "127.0.0.1");
    server->stop();
}

}  // namespace vg::test
