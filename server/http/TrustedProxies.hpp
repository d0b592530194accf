#pragma once
// The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: a list of CIDR
// blocks (IPv4 and IPv6). A request from anywhere else keeps its TCP peer as client address, so
// a client cannot pick the address that the logs and rate limits see.
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace vg::http {

class TrustedProxies {
  public:
    TrustedProxies() = default;
    // "10.0.0.0/8, 192.0.2.7, ::1/128" (a bare address is one host). Throws
    // std::invalid_argument naming the entry that is not a CIDR block.
    static TrustedProxies parse(std::string_view list);

    bool empty() const { return blocks_.empty(); }
    bool trusts(std::string_view address) const;

    // The client's address: walking X-Forwarded-For from its right end (the entry the nearest
    // proxy wrote) past trusted proxies. The peer itself when it is not trusted or the header is
    // absent or malformed.
    std::string client_address(const std::string& peer, std::string_view forwarded_for) const;
    // Whether the client spoke HTTPS to the proxy: only a trusted peer's X-Forwarded-Proto counts.
    bool forwarded_https(const std::string& peer, std::string_view forwarded_proto) const;

  private:
    struct Block {
        std::array<std::uint8_t, 16> address{};  // IPv4 as IPv4-mapped IPv6
        int prefix = 0;                          // bits, on the 128-bit form
    };
    std::vector<Block> blocks_;
};

}  // namespace vg::http
