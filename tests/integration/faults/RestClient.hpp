#pragma once
// The REST API of one running `visioguichet serve`, as the fault tests use it: JSON in and out,
// one fresh connection per request (a server that dies takes no client state with it), and the
// world a call needs (a site, a walk-in service, an enrolled booth, an agent who can take its
// citizens) made through the API.
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "support/HttpClient.hpp"

namespace vg::test::faults {

struct RestAnswer {
    int status = 0;
    nlohmann::json body;  // null when the answer has no JSON body
    std::string retry_after;
    std::string raw;
};

class RestClient {
  public:
    explicit RestClient(std::uint16_t port) : port_(port) {}
    void set_port(std::uint16_t port) { port_ = port; }
    std::uint16_t port() const { return port_; }

    // method /api/v1{path} with token as Bearer ("" for none) and body as JSON (null: none).
    // Throws std::runtime_error when no answer comes within timeout.
    RestAnswer call(const std::string& method, const std::string& path, const std::string& token,
                    const nlohmann::json& body = nullptr, HttpHeaders headers = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    // The same, failing the test unless the status is expected; answers the body.
    nlohmann::json expect(int expected, const std::string& method, const std::string& path,
                          const std::string& token, const nlohmann::json& body = nullptr) const;

  private:
    std::uint16_t port_;
};

// Every id and token of the world one test made.
struct World {
    std::string admin_key;
    std::string site_id;
    std::string service_id;
    std::string booth_id;
    std::string booth_token;
    std::string agent_id;
    std::string agent_email;
    std::string agent_token;
};

// A site in UTC, a walk-in service of duration_minutes, an enrolled booth, and an agent of that
// site and service (French and English) who works every day all day and is logged in.
World make_world(const RestClient& rest, const std::string& admin_key, const std::string& tag,
                 int duration_minutes = 15);

// Today's date in UTC (YYYY-MM-DD), or the one so many days later.
std::string utc_date(int days_later = 0);

// The agent's password in every world.
inline constexpr const char* kAgentPassword = "correct horse battery staple";

}  // namespace vg::test::faults
