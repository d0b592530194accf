#include "rtc/net/SocketAddress.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace vg::rtc::net {

std::optional<SocketAddress> SocketAddress::from_sockaddr(const sockaddr* address) {
    if (address == nullptr) return std::nullopt;
    SocketAddress result;
    if (address->sa_family == AF_INET) {
        sockaddr_in v4{};
        std::memcpy(&v4, address, sizeof(v4));
        result.family_ = AF_INET;
        result.port_ = ntohs(v4.sin_port);
        std::memcpy(result.ip_.data(), &v4.sin_addr, 4);
        return result;
    }
    if (address->sa_family == AF_INET6) {
        sockaddr_in6 v6{};
        std::memcpy(&v6, address, sizeof(v6));
        result.family_ = AF_INET6;
        result.port_ = ntohs(v6.sin6_port);
        std::memcpy(result.ip_.data(), &v6.sin6_addr, 16);
        return result;
    }
    return std::nullopt;
}

std::optional<SocketAddress> SocketAddress::from_ip(std::string_view ip, std::uint16_t port) {
    if (ip.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    char text[INET6_ADDRSTRLEN] = {};
    std::memcpy(text, ip.data(), ip.size());
    SocketAddress result;
    result.port_ = port;
    if (inet_pton(AF_INET, text, result.ip_.data()) == 1) {
        result.family_ = AF_INET;
        return result;
    }
    if (inet_pton(AF_INET6, text, result.ip_.data()) == 1) {
        result.family_ = AF_INET6;
        return result;
    }
    return std::nullopt;
}

std::optional<SocketAddress> SocketAddress::parse(std::string_view text) {
    std::string_view ip;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find("]:");
        if (close == std::string_view::npos) return std::nullopt;
        ip = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) return std::nullopt;
        ip = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    std::uint16_t number = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (error != std::errc() || end != port.data() + port.size() || port.empty())
        return std::nullopt;
    return from_ip(ip, number);
}

std::string SocketAddress::ip_string() const {
    char text[INET6_ADDRSTRLEN] = {};
    if (family_ != AF_INET && family_ != AF_INET6) return {};
    inet_ntop(family_, ip_.data(), text, sizeof(text));
    return text;
}

std::string SocketAddress::to_string() const {
    // Appends, not operator+ chains: GCC 12 at -O3 warns falsely (-Wrestrict) on those.
    std::string text;
    text.reserve(INET6_ADDRSTRLEN + 8);
    if (family_ == AF_INET6) text.push_back('[');
    text.append(ip_string());
    if (family_ == AF_INET6) text.push_back(']');
    text.push_back(':');
    text.append(std::to_string(port_));
    if (protocol_ == Protocol::Tcp) text.append("/tcp");
    return text;
}

socklen_t SocketAddress::to_sockaddr(sockaddr_storage& storage) const {
    storage = {};
    if (family_ == AF_INET) {
        sockaddr_in v4{};
        v4.sin_family = AF_INET;
        v4.sin_port = htons(port_);
        std::memcpy(&v4.sin_addr, ip_.data(), 4);
        std::memcpy(&storage, &v4, sizeof(v4));
        return sizeof(v4);
    }
    if (family_ == AF_INET6) {
        sockaddr_in6 v6{};
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(port_);
        std::memcpy(&v6.sin6_addr, ip_.data(), 16);
        std::memcpy(&storage, &v6, sizeof(v6));
        return sizeof(v6);
    }
    return 0;
}

std::size_t SocketAddress::hash() const {
    // FNV-1a over the few bytes that identify the address: cheap and well spread.
    std::uint64_t value = 1469598103934665603ULL;
    const auto mix = [&](std::uint8_t byte) { value = (value ^ byte) * 1099511628211ULL; };
    mix(static_cast<std::uint8_t>(family_));
    mix(static_cast<std::uint8_t>(protocol_));
    mix(static_cast<std::uint8_t>(port_ >> 8));
    mix(static_cast<std::uint8_t>(port_));
    for (std::size_t i = 0; i < (family_ == AF_INET6 ? 16u : 4u); ++i) mix(ip_[i]);
    return static_cast<std::size_t>(value);
}

}  // namespace vg::rtc::net
