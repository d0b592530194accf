#include "HttpClient.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace vg::test {

namespace {

using Clock = std::chrono::steady_clock;

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

int connect_to(const std::string& host, std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
        throw std::runtime_error("not an IPv4 address: " + host);
    }
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        int error = errno;
        ::close(fd);
        throw std::runtime_error("connect " + host + ":" + std::to_string(port) + ": " +
                                 std::strerror(error));
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

}  // namespace

bool HeaderNameLess::operator()(const std::string& a, const std::string& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](char x, char y) { return lower(x) < lower(y); });
}

std::string HttpResponse::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
}

TcpClient::TcpClient(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout)
    : fd_(connect_to(host, port)), host_(host), port_(port), timeout_(timeout) {}

TcpClient::~TcpClient() {
    if (fd_ >= 0) ::close(fd_);
}

void TcpClient::send(std::string_view bytes) {
    const auto deadline = Clock::now() + timeout_;
    while (!bytes.empty()) {
        pollfd p{fd_, POLLOUT, 0};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            throw std::runtime_error("send: timed out");
        }
        ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            throw std::runtime_error("send: " + std::string(std::strerror(errno)));
        }
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
}

void TcpClient::shutdown_send() {
    ::shutdown(fd_, SHUT_WR);
}

bool TcpClient::fill(Clock::time_point deadline) {
    for (;;) {
        pollfd p{fd_, POLLIN, 0};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        int ready = left.count() > 0 ? ::poll(&p, 1, static_cast<int>(left.count())) : 0;
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) throw std::runtime_error("receive: timed out");
        char buffer[16384];
        ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got <= 0) return false;  // closed, or reset
        pending_.append(buffer, static_cast<std::size_t>(got));
        return true;
    }
}

std::string TcpClient::receive_some() {
    if (pending_.empty() && !fill(Clock::now() + timeout_)) return {};
    return std::exchange(pending_, {});
}

std::string TcpClient::receive_until_close() {
    const auto deadline = Clock::now() + timeout_;
    while (fill(deadline)) {
    }
    return std::exchange(pending_, {});
}

bool TcpClient::closed_within(std::chrono::milliseconds within) {
    const auto deadline = Clock::now() + within;
    try {
        while (fill(deadline)) {
        }
        return true;
    } catch (const std::runtime_error&) {
        return false;  // still open at the deadline
    }
}

std::string TcpClient::take_until(std::string_view delimiter, Clock::time_point deadline) {
    for (;;) {
        auto at = pending_.find(delimiter);
        if (at != std::string::npos) {
            std::string head = pending_.substr(0, at);
            pending_.erase(0, at + delimiter.size());
            return head;
        }
        if (pending_.size() > 1024 * 1024) throw std::runtime_error("answer header too long");
        if (!fill(deadline)) throw std::runtime_error("connection closed mid-answer");
    }
}

std::string TcpClient::take(std::size_t size, Clock::time_point deadline) {
    while (pending_.size() < size) {
        if (!fill(deadline)) throw std::runtime_error("connection closed mid-body");
    }
    std::string data = pending_.substr(0, size);
    pending_.erase(0, size);
    return data;
}

HttpResponse TcpClient::request(const std::string& method, const std::string& path,
                                const HttpHeaders& headers, const std::string& body) {
    std::string text = method + " " + path + " HTTP/1.1\r\n";
    bool has_host = false;
    bool has_length = false;
    for (const auto& [name, value] : headers) {
        has_host = has_host || iequal(name, "Host");
        has_length =
            has_length || iequal(name, "Content-Length") || iequal(name, "Transfer-Encoding");
        text += name + ": " + value + "\r\n";
    }
    if (!has_host) text += "Host: " + host_ + ":" + std::to_string(port_) + "\r\n";
    if (!has_length &&
        (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")) {
        text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    text += "\r\n";
    text += body;
    send(text);
    return read_response(method == "HEAD");
}

HttpResponse TcpClient::read_response(bool head_request) {
    const auto deadline = Clock::now() + timeout_;
    HttpResponse response;
    for (;;) {
        std::string head = take_until("\r\n\r\n", deadline);
        auto line_end = head.find("\r\n");
        std::string status_line = head.substr(0, line_end);
        if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) {
            throw std::runtime_error("not an HTTP answer: " + status_line);
        }
        response.status = std::stoi(status_line.substr(9, 3));
        response.headers.clear();
        std::size_t at = line_end == std::string::npos ? head.size() : line_end + 2;
        while (at < head.size()) {
            auto end = head.find("\r\n", at);
            if (end == std::string::npos) end = head.size();
            std::string line = head.substr(at, end - at);
            at = end + 2;
            auto colon = line.find(':');
            if (colon == std::string::npos) continue;
            std::string name = line.substr(0, colon);
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(" \t"));
            value.erase(value.find_last_not_of(" \t") + 1);
            auto [it, inserted] = response.headers.emplace(name, value);
            if (!inserted) it->second += ", " + value;
        }
        if (response.status >= 200 || response.status == 101) break;  // skip 100 Continue
    }
    if (head_request || response.status == 204 || response.status == 304 ||
        response.status == 101) {
        return response;
    }
    std::string encoding = response.header("Transfer-Encoding");
    std::transform(encoding.begin(), encoding.end(), encoding.begin(), lower);
    if (encoding.find("chunked") != std::string::npos) {
        for (;;) {
            std::size_t size = std::stoul(take_until("\r\n", deadline), nullptr, 16);
            if (size == 0) {
                while (!take_until("\r\n", deadline).empty()) {
                }
                break;
            }
            response.body += take(size, deadline);
            take_until("\r\n", deadline);
        }
    } else if (response.has_header("Content-Length")) {
        response.body = take(std::stoul(response.header("Content-Length")), deadline);
    } else {
        while (fill(deadline)) {
        }
        response.body = std::exchange(pending_, {});
    }
    return response;
}

HttpResponse http_request(const std::string& method, const std::string& host, std::uint16_t port,
                          const std::string& path, const HttpHeaders& headers,
                          const std::string& body, std::chrono::milliseconds timeout) {
    TcpClient client(host, port, timeout);
    HttpHeaders all = headers;
    bool has_connection = std::any_of(all.begin(), all.end(),
                                      [](const auto& h) { return iequal(h.first, "Connection"); });
    if (!has_connection) all.emplace_back("Connection", "close");
    return client.request(method, path, all, body);
}

bool can_connect(const std::string& host, std::uint16_t port) {
    try {
        TcpClient client(host, port, std::chrono::seconds(1));
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

}  // namespace vg::test
