#pragma once
// A tiny blocking HTTP/1.1 client for tests, on plain POSIX sockets (no Beast: it compiles
// fast). Every wait is bounded by the timeout. Also gives the raw bytes, for tests that send
// malformed or slow requests.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vg::test {

struct HeaderNameLess {
    bool operator()(const std::string& a, const std::string& b) const;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string, HeaderNameLess> headers;  // repeats joined with ", "
    std::string body;
    std::string header(const std::string& name) const;  // "" when absent
    bool has_header(const std::string& name) const { return headers.count(name) > 0; }
};

// One TCP connection to 127.0.0.1 (or another loopback address). Throws std::runtime_error on
// connection failure, timeout or a malformed answer.
class TcpClient {
  public:
    TcpClient(const std::string& host, std::uint16_t port,
              std::chrono::milliseconds timeout = std::chrono::seconds(5));
    ~TcpClient();
    TcpClient(const TcpClient&) = delete;
    TcpClient& operator=(const TcpClient&) = delete;

    void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
    void send(std::string_view bytes);
    void shutdown_send();
    // Some bytes, "" when the server closed (or reset) the connection.
    std::string receive_some();
    std::string receive_until_close();
    // Whether the server closes the connection within the time; bytes that arrive meanwhile
    // are kept for read_response().
    bool closed_within(std::chrono::milliseconds within);

    // One HTTP exchange on this connection (keep-alive unless headers say otherwise).
    HttpResponse request(const std::string& method, const std::string& path,
                         const HttpHeaders& headers = {}, const std::string& body = {});
    HttpResponse read_response(bool head_request = false);

  private:
    bool fill(std::chrono::steady_clock::time_point deadline);  // false at EOF
    std::string take_until(std::string_view delimiter,
                           std::chrono::steady_clock::time_point deadline);
    std::string take(std::size_t size, std::chrono::steady_clock::time_point deadline);

    int fd_ = -1;
    std::string host_;
    std::uint16_t port_ = 0;
    std::chrono::milliseconds timeout_;
    std::string pending_;  // received, not yet consumed
};

// One request on a fresh connection ("Connection: close" unless given).
HttpResponse http_request(const std::string& method, const std::string& host, std::uint16_t port,
                          const std::string& path, const HttpHeaders& headers = {},
                          const std::string& body = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(5));

// Whether a TCP connection to host:port is accepted now.
bool can_connect(const std::string& host, std::uint16_t port);

}  // namespace vg::test
