// Who may open the WebSockets: the configured origins and every node's public_url.
#include <gtest/gtest.h>

#include "http/AllowedOrigins.hpp"

namespace vg::http {
namespace {

TEST(AllowedOriginsTest, AnOriginIsWhatABrowserSendsForAPageUnderTheUrl) {
    EXPECT_EQ(AllowedOrigins::origin_of("https://node2.example.org/"), "https://node2.example.org");
    EXPECT_EQ(AllowedOrigins::origin_of("HTTPS://Node2.Example.org:443/guichet?x#y"),
              "https://node2.example.org");
    EXPECT_EQ(AllowedOrigins::origin_of("http://10.0.0.5:80"), "http://10.0.0.5");
    EXPECT_EQ(AllowedOrigins::origin_of("https://node3.example.org:8443/a"),
              "https://node3.example.org:8443");
    EXPECT_EQ(AllowedOrigins::origin_of("http://[::1]:8080/"), "http://[::1]:8080");
    EXPECT_EQ(AllowedOrigins::origin_of("ftp://node2.example.org"), "");
    EXPECT_EQ(AllowedOrigins::origin_of("node2.example.org"), "");
    EXPECT_EQ(AllowedOrigins::origin_of("https:///path"), "");
}

TEST(AllowedOriginsTest, EveryNodesPublicUrlIsAllowedOnceTheNodesAreListed) {
    AllowedOrigins origins({"https://kiosk.example.org", "https://node1.example.org/"});
    EXPECT_TRUE(origins.allows("https://node1.example.org"));
    EXPECT_TRUE(origins.allows("https://KIOSK.example.org"));
    EXPECT_FALSE(origins.allows("https://node2.example.org"));

    origins.set_node_urls({"https://node1.example.org/", "https://node2.example.org:443/"});
    EXPECT_TRUE(origins.allows("https://node2.example.org"));
    EXPECT_TRUE(origins.allows("https://kiosk.example.org"));
    // Another site, a look-alike host, another scheme, an opaque origin: never.
    for (const char* foreign : {"https://evil.example", "https://node2.example.org.evil",
                                "http://node2.example.org", "null", ""})
        EXPECT_FALSE(origins.allows(foreign)) << foreign;

    // A node forgotten by the table is no longer allowed; the configured ones stay.
    origins.set_node_urls({"https://node1.example.org/"});
    EXPECT_FALSE(origins.allows("https://node2.example.org"));
    EXPECT_TRUE(origins.allows("https://kiosk.example.org"));
}

TEST(AllowedOriginsTest, PagesMayConnectToEveryAllowedOriginAndItsWebSockets) {
    AllowedOrigins origins({"https://node1.example.org"});
    origins.set_node_urls({"https://node1.example.org", "http://node2.example.org:8080/x"});
    const auto policy = origins.content_security_policy();
    EXPECT_NE(policy->find("connect-src 'self' https://node1.example.org wss://node1.example.org "
                           "http://node2.example.org:8080 ws://node2.example.org:8080;"),
              std::string::npos)
        << *policy;
    // A policy already handed out stays whole when the list changes.
    origins.set_node_urls({});
    EXPECT_NE(policy->find("node2"), std::string::npos);
    EXPECT_EQ(origins.content_security_policy()->find("node2"), std::string::npos);
}

}  // namespace
}  // namespace vg::http
