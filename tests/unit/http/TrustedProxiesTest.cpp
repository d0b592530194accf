#include <gtest/gtest.h>

#include "http/TrustedProxies.hpp"

namespace vg::http {
namespace {

TEST(TrustedProxies, BlocksOfBothFamiliesAndBareAddresses) {
    auto proxies = TrustedProxies::parse(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,::1");
    EXPECT_TRUE(proxies.trusts("10.20.30.40"));
    EXPECT_TRUE(proxies.trusts("::ffff:10.1.2.3"));  // as a dual-stack socket reports it
    EXPECT_FALSE(proxies.trusts("11.0.0.1"));
    EXPECT_TRUE(proxies.trusts("192.0.2.7"));
    EXPECT_FALSE(proxies.trusts("192.0.2.8"));
    EXPECT_TRUE(proxies.trusts("2001:db8:1::5"));
    EXPECT_FALSE(proxies.trusts("2001:db9::5"));
    EXPECT_TRUE(proxies.trusts("::1"));
    EXPECT_FALSE(proxies.trusts("not an address"));
    EXPECT_TRUE(TrustedProxies::parse("").empty());
    EXPECT_TRUE(TrustedProxies::parse("0.0.0.0/0").trusts("203.0.113.9"));
}

TEST(TrustedProxies, MalformedBlocksAreRefusedByName) {
    for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0/8", "proxy.example.org",
                            "10.0.0.0/8x", "10.0.0.0/-1"}) {
        try {
            TrustedProxies::parse(std::string("192.0.2.1, ") + bad);
            ADD_FAILURE() << bad << " was accepted";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
        }
    }
}

TEST(TrustedProxies, ForwardedForIsBelievedFromTrustedPeersOnly) {
    auto proxies = TrustedProxies::parse("10.0.0.0/8");
    // A client talking to us directly cannot choose its address.
    EXPECT_EQ(proxies.client_address("203.0.113.5", "198.51.100.1"), "203.0.113.5");
    // Through our proxy: the address the proxy saw.
    EXPECT_EQ(proxies.client_address("10.0.0.2", "198.51.100.1"), "198.51.100.1");
    // A client that forges the header in front of the proxy: the proxy appends the real one,
    // and the walk from the right stops at the first untrusted address.
    EXPECT_EQ(proxies.client_address("10.0.0.2", "1.2.3.4, 198.51.100.1"), "198.51.100.1");
    // Two proxies of ours in a row.
    EXPECT_EQ(proxies.client_address("10.0.0.2", "198.51.100.1, 10.0.0.3"), "198.51.100.1");
    // Garbage from the proxy's side: the proxy itself is the client as far as we know.
    EXPECT_EQ(proxies.client_address("10.0.0.2", "nonsense"), "10.0.0.2");
    EXPECT_EQ(proxies.client_address("10.0.0.2", ""), "10.0.0.2");

    EXPECT_TRUE(proxies.forwarded_https("10.0.0.2", "https"));
    EXPECT_TRUE(proxies.forwarded_https("10.0.0.2", "HTTPS, http"));
    EXPECT_FALSE(proxies.forwarded_https("10.0.0.2", "http"));
    EXPECT_FALSE(proxies.forwarded_https("203.0.113.5", "https"));
}

}  // namespace
}  // namespace vg::http
