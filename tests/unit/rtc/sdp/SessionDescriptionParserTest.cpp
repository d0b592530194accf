#include <gtest/gtest.h>

#include "rtc/sdp/SessionDescriptionParser.hpp"
#include "unit/rtc/sdp/Fixtures.hpp"

namespace vg::rtc::sdp {
namespace {

using test::payloadTypes;

TEST(SessionDescriptionParser, ParsesAChromiumOfferWithAudioVideoAndDataChannel) {
    std::string error;
    const auto offer = SessionDescription::parse(test::sdpFixture("chromium.sdp"), &error);
    ASSERT_TRUE(offer) << error;
    EXPECT_EQ(offer->session_id, 4611731400430051336ULL);
    EXPECT_EQ(offer->session_version, 2U);
    EXPECT_EQ(offer->bundle, (std::vector<std::string>{"0", "1", "2"}));
    ASSERT_EQ(offer->media.size(), 3U);

    const auto& audio = offer->media[0];
    EXPECT_EQ(audio.kind, "audio");
    EXPECT_EQ(audio.mid, "0");
    EXPECT_EQ(audio.protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_EQ(audio.direction, Direction::SendRecv);
    EXPECT_EQ(audio.ice_ufrag, "Zr6M");
    EXPECT_EQ(audio.ice_pwd, "ZGw3BvpwQmN3m0xZK4LMYc7Y");
    EXPECT_EQ(audio.fingerprint_algorithm, "sha-256");
    EXPECT_TRUE(audio.fingerprint.starts_with("7B:8B:F0"));
    EXPECT_EQ(audio.setup, Setup::ActPass);
    EXPECT_TRUE(audio.rtcp_mux);
    EXPECT_TRUE(audio.rtcp_reduced_size);
    EXPECT_EQ(payloadTypes(audio), (std::vector<int>{111, 63, 9, 0, 8, 13, 110, 126}));
    const Codec* opus = audio.codec(111);
    ASSERT_NE(opus, nullptr);
    EXPECT_EQ(opus->name, "opus");
    EXPECT_EQ(opus->clock_rate, 48000U);
    EXPECT_EQ(opus->channels, 2);
    EXPECT_EQ(opus->parameter("useinbandfec"), "1");
    EXPECT_EQ(opus->feedback, (std::vector<std::string>{"transport-cc"}));
    ASSERT_NE(audio.extension("urn:ietf:params:rtp-hdrext:sdes:mid"), nullptr);
    EXPECT_EQ(audio.extension("urn:ietf:params:rtp-hdrext:sdes:mid")->id, 4);
    ASSERT_EQ(audio.ssrcs.size(), 1U);
    EXPECT_EQ(audio.ssrcs[0].ssrc, 1001U);
    EXPECT_EQ(audio.ssrcs[0].cname, "ZkbnP0AYbbK4JbL7");
    EXPECT_TRUE(audio.msid.starts_with("9f3c1e7a"));

    const auto& video = offer->media[1];
    EXPECT_EQ(video.codecs.size(), 25U);
    const Codec* rtx = video.codec(97);
    ASSERT_NE(rtx, nullptr);
    EXPECT_EQ(rtx->associated_payload_type(), 96);
    EXPECT_EQ(video.codec(96)->feedback.size(), 5U);
    ASSERT_EQ(video.ssrc_groups.size(), 1U);
    EXPECT_EQ(video.ssrc_groups[0].semantics, "FID");
    EXPECT_EQ(video.ssrc_groups[0].ssrcs, (std::vector<uint32_t>{2001, 2002}));
    EXPECT_EQ(video.ssrcs.size(), 2U);

    const auto& data = offer->media[2];
    EXPECT_TRUE(data.is_data_channel());
    EXPECT_EQ(data.protocol, "UDP/DTLS/SCTP");
    EXPECT_EQ(data.sctp_port, 5000);
    EXPECT_EQ(data.max_message_size, 262144U);
}

TEST(SessionDescriptionParser, FirefoxSessionLevelFingerprintReachesEverySection) {
    std::string error;
    const auto offer = SessionDescription::parse(test::sdpFixture("firefox.sdp"), &error);
    ASSERT_TRUE(offer) << error;
    ASSERT_EQ(offer->media.size(), 3U);
    for (const auto& m : offer->media) {
        EXPECT_EQ(m.fingerprint_algorithm, "sha-256");
        EXPECT_TRUE(m.fingerprint.starts_with("C4:3E:9D")) << m.fingerprint;
        EXPECT_EQ(m.ice_ufrag, "3f9a1b2c");
        EXPECT_EQ(m.setup, Setup::ActPass);
    }
    const auto& audio = offer->media[0];
    EXPECT_EQ(audio.codec(109)->name, "opus");
    // extmap with a direction
    ASSERT_NE(audio.extension("urn:ietf:params:rtp-hdrext:csrc-audio-level"), nullptr);
    EXPECT_EQ(audio.extension("urn:ietf:params:rtp-hdrext:csrc-audio-level")->id, 2);
    EXPECT_EQ(offer->media[1].codec(126)->parameter("packetization-mode"), "1");
    EXPECT_EQ(offer->media[2].max_message_size, 1073741823U);
}

// RFC 8843: a bundle-only section (port 0) is not rejected, and a bundled section without
// transport attributes of its own shares those of the group's tag.
TEST(SessionDescriptionParser, BundleOnlySectionsShareTheTagsTransport) {
    std::string error;
    const auto offer = SessionDescription::parse(
        "v=0\r\n"
        "a=group:BUNDLE a v\r\n"
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
        "a=mid:a\r\na=ice-ufrag:tagU\r\na=ice-pwd:tagpassword0123456789\r\n"
        "a=fingerprint:sha-256 ab:cd\r\na=setup:actpass\r\n"
        "m=video 0 UDP/TLS/RTP/SAVPF 96\r\n"
        "a=mid:v\r\na=bundle-only\r\n"
        "m=video 0 UDP/TLS/RTP/SAVPF 96\r\n"
        "a=mid:x\r\n",
        &error);
    ASSERT_TRUE(offer) << error;
    const auto& bundled = offer->media[1];
    EXPECT_TRUE(bundled.bundle_only);
    EXPECT_FALSE(bundled.rejected());
    EXPECT_EQ(bundled.ice_ufrag, "tagU");
    EXPECT_EQ(bundled.ice_pwd, "tagpassword0123456789");
    EXPECT_EQ(bundled.fingerprint, "AB:CD");
    EXPECT_EQ(bundled.setup, Setup::ActPass);
    // Port 0 without bundle-only, outside the group: rejected, and nothing shared.
    EXPECT_TRUE(offer->media[2].rejected());
    EXPECT_TRUE(offer->media[2].ice_ufrag.empty());
}

TEST(SessionDescriptionParser, KeepsTheSha256FingerprintAmongSeveral) {
    const auto sd = SessionDescription::parse(
        "v=0\r\n"
        "a=fingerprint:sha-256 ab:cd\r\n"
        "a=fingerprint:sha-1 11:22\r\n"
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
        "a=fingerprint:SHA-1 33:44\r\n"
        "a=fingerprint:SHA-256 ee:ff\r\n"
        "a=fingerprint:sha-512 55:66\r\n");
    ASSERT_TRUE(sd);
    EXPECT_EQ(sd->fingerprint_algorithm, "sha-256");
    EXPECT_EQ(sd->fingerprint, "AB:CD");
    EXPECT_EQ(sd->media[0].fingerprint_algorithm, "sha-256");
    EXPECT_EQ(sd->media[0].fingerprint, "EE:FF");
}

TEST(SessionDescriptionParser, RejectsTextThatIsNotASessionDescription) {
    std::string error;
    EXPECT_FALSE(SessionDescription::parse("", &error));
    EXPECT_FALSE(SessionDescription::parse("hello world", &error));
    EXPECT_FALSE(SessionDescription::parse("o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n", &error));
    EXPECT_FALSE(SessionDescription::parse("v=0\r\nm=audio\r\n", &error));
    EXPECT_FALSE(SessionDescription::parse(
        "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:300 x/1\r\n", &error));
    EXPECT_FALSE(SessionDescription::parse(
        "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus\r\n", &error));
    EXPECT_FALSE(SessionDescription::parse("v=0\r\na=setup:sideways\r\n", &error));
    EXPECT_FALSE(error.empty());
    EXPECT_FALSE(
        SessionDescription::parse(std::string(SessionDescription::kMaxSize + 1, 'a'), &error));
}
TEST(SessionDescriptionParser, SaysWhyItRefusesAndReadsRtxRepairPairs) {
    std::string error;
    EXPECT_FALSE(SessionDescriptionParser::parse("v=0\r\nm=audio\r\n", error));
    EXPECT_FALSE(error.empty());
    error.clear();
    const auto sd = SessionDescriptionParser::parse(
        "v=0\r\n"
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
        "a=rtpmap:96 VP8/90000\r\n"
        "a=rtpmap:97 rtx/90000\r\n"
        "a=fmtp:97 apt=96\r\n"
        "a=ssrc-group:FID 1111 2222\r\n",
        error);
    ASSERT_TRUE(sd) << error;
    EXPECT_TRUE(error.empty());
    const auto& video = sd->media.at(0);
    ASSERT_NE(video.codec(97), nullptr);
    EXPECT_EQ(video.codec(97)->associated_payload_type(), std::optional<uint8_t>(96));
    EXPECT_EQ(video.codec(96)->associated_payload_type(), std::nullopt);
    ASSERT_EQ(video.ssrc_groups.size(), 1U);
    EXPECT_EQ(video.ssrc_groups[0].semantics, "FID");
    EXPECT_EQ(video.ssrc_groups[0].ssrcs, (std::vector<uint32_t>{1111, 2222}));
}

}  // namespace
}  // namespace vg::rtc::sdp
