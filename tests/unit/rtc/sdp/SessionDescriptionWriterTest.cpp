#include <gtest/gtest.h>

#include "rtc/sdp/SessionDescriptionWriter.hpp"
#include "unit/rtc/sdp/Fixtures.hpp"

namespace vg::rtc::sdp {
namespace {

using test::payloadTypes;

TEST(SessionDescriptionWriter, WritesTextThatParsesBackTheSame) {
    const auto offer = SessionDescription::parse(test::sdpFixture("safari.sdp"));
    ASSERT_TRUE(offer);
    const std::string text = offer->to_string();
    EXPECT_NE(text.find("\r\n"), std::string::npos);
    const auto again = SessionDescription::parse(text);
    ASSERT_TRUE(again);
    ASSERT_EQ(again->media.size(), offer->media.size());
    for (size_t i = 0; i < offer->media.size(); ++i) {
        const auto& a = offer->media[i];
        const auto& b = again->media[i];
        EXPECT_EQ(a.mid, b.mid);
        EXPECT_EQ(payloadTypes(a), payloadTypes(b));
        EXPECT_EQ(a.extensions.size(), b.extensions.size());
        EXPECT_EQ(a.ssrcs.size(), b.ssrcs.size());
        EXPECT_EQ(a.ssrc_groups.size(), b.ssrc_groups.size());
        EXPECT_EQ(a.fingerprint, b.fingerprint);
        EXPECT_EQ(a.direction, b.direction);
        for (size_t c = 0; c < a.codecs.size(); ++c) {
            EXPECT_EQ(a.codecs[c].fmtp, b.codecs[c].fmtp);
            EXPECT_EQ(a.codecs[c].feedback, b.codecs[c].feedback);
        }
    }
    EXPECT_EQ(again->bundle, offer->bundle);
}
TEST(SessionDescriptionWriter, WritesAVideoSectionWithItsRtxStreamLineByLine) {
    SessionDescription description;
    description.session_id = 7;
    description.session_version = 2;
    description.ice_lite = true;
    description.bundle = {"0"};
    MediaSection video;
    video.kind = "video";
    video.protocol = "UDP/TLS/RTP/SAVPF";
    video.formats = {"96", "97"};
    video.mid = "0";
    video.ice_ufrag = "ufrag";
    video.ice_pwd = "password";
    video.fingerprint_algorithm = "sha-256";
    video.fingerprint = "AB:CD";
    video.setup = Setup::Passive;
    video.direction = Direction::SendOnly;
    video.msid = "vg-1 vg-1-video";
    video.rtcp_mux = true;
    video.codecs = {{96, "VP8", 90000, 0, "", {"nack", "nack pli"}},
                    {97, "rtx", 90000, 0, "apt=96", {}}};
    video.ssrc_groups = {{"FID", {1111, 2222}}};
    video.ssrcs = {{1111, "vg-1", ""}, {2222, "vg-1", ""}};
    description.media = {video};
    EXPECT_EQ(SessionDescriptionWriter::write(description),
              "v=0\r\n"
              "o=- 7 2 IN IP4 127.0.0.1\r\n"
              "s=-\r\n"
              "t=0 0\r\n"
              "a=ice-lite\r\n"
              "a=group:BUNDLE 0\r\n"
              "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
              "c=IN IP4 0.0.0.0\r\n"
              "a=ice-ufrag:ufrag\r\n"
              "a=ice-pwd:password\r\n"
              "a=fingerprint:sha-256 AB:CD\r\n"
              "a=setup:passive\r\n"
              "a=mid:0\r\n"
              "a=sendonly\r\n"
              "a=msid:vg-1 vg-1-video\r\n"
              "a=rtcp-mux\r\n"
              "a=rtpmap:96 VP8/90000\r\n"
              "a=rtcp-fb:96 nack\r\n"
              "a=rtcp-fb:96 nack pli\r\n"
              "a=rtpmap:97 rtx/90000\r\n"
              "a=fmtp:97 apt=96\r\n"
              "a=ssrc-group:FID 1111 2222\r\n"
              "a=ssrc:1111 cname:vg-1\r\n"
              "a=ssrc:2222 cname:vg-1\r\n");
    EXPECT_EQ(description.to_string(), SessionDescriptionWriter::write(description));
}

}  // namespace
}  // namespace vg::rtc::sdp
