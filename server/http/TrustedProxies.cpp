#include "http/TrustedProxies.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <optional>

namespace vg::http {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The 128-bit form of an IPv4 or IPv6 address ("192.0.2.1" becomes ::ffff:192.0.2.1), and
// whether it was IPv4.
std::optional<std::pair<std::array<std::uint8_t, 16>, bool>> parse_address(std::string_view text) {
    if (text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    std::string copy(text);
    std::array<std::uint8_t, 16> bytes{};
    in_addr v4{};
    if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
        bytes[10] = 0xff;
        bytes[11] = 0xff;
        std::memcpy(bytes.data() + 12, &v4, 4);
        return std::pair{bytes, true};
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, copy.c_str(), &v6) == 1) {
        std::memcpy(bytes.data(), &v6, 16);
        return std::pair{bytes, false};
    }
    return std::nullopt;
}

bool matches(const std::array<std::uint8_t, 16>& address, const std::array<std::uint8_t, 16>& block,
             int prefix) {
    for (int bit = 0; bit < prefix; bit += 8) {
        const int bits = std::min(8, prefix - bit);
        const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits));
        if ((address[bit / 8] & mask) != (block[bit / 8] & mask)) return false;
    }
    return true;
}

}  // namespace

TrustedProxies TrustedProxies::parse(std::string_view list) {
    TrustedProxies proxies;
    while (!list.empty()) {
        auto comma = list.find(',');
        std::string_view entry = trim(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (entry.empty()) continue;
        auto slash = entry.find('/');
        auto address = parse_address(entry.substr(0, slash));
        if (!address)
            throw std::invalid_argument("'" + std::string(entry) + "' is not a CIDR block");
        const int width = address->second ? 32 : 128;
        int prefix = width;
        if (slash != std::string_view::npos) {
            auto digits = entry.substr(slash + 1);
            auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
            if (ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
                prefix > width) {
                throw std::invalid_argument("'" + std::string(entry) +
                                            "': the prefix length is not 0 to " +
                                            std::to_string(width));
            }
        }
        proxies.blocks_.push_back(Block{address->first, address->second ? prefix + 96 : prefix});
    }
    return proxies;
}

bool TrustedProxies::trusts(std::string_view address) const {
    auto parsed = parse_address(trim(address));
    if (!parsed) return false;
    for (const auto& block : blocks_) {
        if (matches(parsed->first, block.address, block.prefix)) return true;
    }
    return false;
}

std::string TrustedProxies::client_address(const std::string& peer,
                                           std::string_view forwarded_for) const {
    if (!trusts(peer)) return peer;
    std::string client = peer;
    while (!forwarded_for.empty()) {
        auto comma = forwarded_for.rfind(',');
        std::string_view entry =
            trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
        forwarded_for =
            comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
        // A garbled entry: the last address we could vouch for is the answer.
        if (!parse_address(entry)) break;
        client = std::string(entry);
        if (!trusts(entry)) break;
    }
    return client;
}

bool TrustedProxies::forwarded_https(const std::string& peer,
                                     std::string_view forwarded_proto) const {
    if (!trusts(peer)) return false;
    // Several proxies may each have appended theirs: the first is what the client spoke.
    auto first = trim(forwarded_proto.substr(0, forwarded_proto.find(',')));
    return first.size() == 5 && (first[0] | 0x20) == 'h' && (first[1] | 0x20) == 't' &&
           (first[2] | 0x20) == 't' && (first[3] | 0x20) == 'p' && (first[4] | 0x20) == 's';
}

}  // namespace vg::http
