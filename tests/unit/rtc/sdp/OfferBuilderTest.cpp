#include <gtest/gtest.h>

#include "rtc/sdp/AnswerBuilder.hpp"
#include "rtc/sdp/OfferBuilder.hpp"
#include "unit/rtc/sdp/Fixtures.hpp"

namespace vg::rtc::sdp {
namespace {

LocalParameters local() {
    LocalParameters p;
    p.ice_ufrag = "srvU";
    p.ice_pwd = "serverpassword0123456789";
    p.fingerprint_sha256 = "AA:BB";
    p.candidate_ip = "::1";
    p.candidate_port = 40000;
    p.session_id = 77;
    return p;
}

OutgoingStream stream(std::string mid, std::string kind, uint32_t ssrc, uint32_t rtx) {
    OutgoingStream s;
    s.mid = std::move(mid);
    s.kind = std::move(kind);
    s.stream_id = "booth";
    s.track_id = "booth-" + s.mid;
    s.cname = "booth-cname";
    s.ssrc = ssrc;
    s.rtx_ssrc = rtx;
    return s;
}

SessionDescription answeredChromium() {
    const auto offer = SessionDescription::parse(test::sdpFixture("chromium.sdp"));
    EXPECT_TRUE(offer);
    return *AnswerBuilder(local()).build(*offer);
}

TEST(OfferBuilder, AddsASendonlySectionPerNewStreamWithTheNegotiatedCodecs) {
    const auto current = answeredChromium();
    const std::vector<OutgoingStream> streams = {stream("3", "audio", 5000, 0),
                                                 stream("4", "video", 6000, 6001)};
    std::string error;
    const auto built = OfferBuilder(local()).build(current, streams, &error);
    ASSERT_TRUE(built) << error;
    const auto offer = SessionDescription::parse(built->to_string(), &error);
    ASSERT_TRUE(offer) << error;

    EXPECT_TRUE(offer->ice_lite);
    EXPECT_EQ(offer->session_version, current.session_version + 1);
    EXPECT_EQ(offer->bundle, (std::vector<std::string>{"0", "1", "2", "3", "4"}));
    ASSERT_EQ(offer->media.size(), 5U);
    // The browser's own sections keep their place and what they carry.
    EXPECT_EQ(offer->media[0].mid, "0");
    EXPECT_EQ(offer->media[0].direction, Direction::RecvOnly);
    EXPECT_EQ(offer->media[1].codecs.size(), current.media[1].codecs.size());
    EXPECT_TRUE(offer->media[2].is_data_channel());
    for (const auto& m : offer->media) {
        EXPECT_EQ(m.setup, Setup::ActPass);
        EXPECT_EQ(m.connection, "IN IP6 ::1");
    }
    EXPECT_EQ(offer->media[0].candidates.size(), 1U);

    const auto& audio = offer->media[3];
    EXPECT_EQ(audio.kind, "audio");
    EXPECT_EQ(audio.direction, Direction::SendOnly);
    EXPECT_TRUE(audio.rtcp_mux);
    ASSERT_EQ(audio.codecs.size(), 1U);
    EXPECT_EQ(audio.codecs[0].payload_type, 111);
    EXPECT_EQ(audio.extensions.size(), current.media[0].extensions.size());
    ASSERT_EQ(audio.ssrcs.size(), 1U);
    EXPECT_EQ(audio.ssrcs[0].ssrc, 5000U);
    EXPECT_EQ(audio.ssrcs[0].msid, "booth booth-3");
    EXPECT_EQ(audio.msid, "booth booth-3");

    const auto& video = offer->media[4];
    EXPECT_EQ(video.direction, Direction::SendOnly);
    EXPECT_EQ(video.codecs.size(), current.media[1].codecs.size());
    ASSERT_EQ(video.ssrc_groups.size(), 1U);
    EXPECT_EQ(video.ssrc_groups[0].semantics, "FID");
    EXPECT_EQ(video.ssrc_groups[0].ssrcs, (std::vector<uint32_t>{6000, 6001}));
}

TEST(OfferBuilder, StopsSendingOnASectionWhoseStreamIsGone) {
    const auto current = answeredChromium();
    const std::vector<OutgoingStream> streams = {stream("3", "video", 6000, 6001)};
    const auto withStream = OfferBuilder(local()).build(current, streams);
    ASSERT_TRUE(withStream);
    const auto without = OfferBuilder(local()).build(*withStream, {});
    ASSERT_TRUE(without);
    ASSERT_EQ(without->media.size(), 4U);
    EXPECT_EQ(without->media[3].mid, "3");
    EXPECT_EQ(without->media[3].direction, Direction::Inactive);
    EXPECT_TRUE(without->media[3].ssrcs.empty());
    EXPECT_EQ(without->session_version, withStream->session_version + 1);
}

TEST(OfferBuilder, UsesDefaultCodecsForAKindNotYetNegotiated) {
    auto offer = SessionDescription::parse(test::sdpFixture("chromium.sdp"));
    ASSERT_TRUE(offer);
    offer->media.erase(offer->media.begin() + 1);  // audio and data only
    offer->bundle = {"0", "2"};
    const auto current = AnswerBuilder(local()).build(*offer);
    ASSERT_TRUE(current);
    const std::vector<OutgoingStream> streams = {stream("3", "video", 6000, 6001)};
    const auto built = OfferBuilder(local()).build(*current, streams);
    ASSERT_TRUE(built);
    const auto& video = built->media.back();
    ASSERT_EQ(video.codecs.size(), 2U);
    EXPECT_EQ(video.codecs[0].name, "VP8");
    EXPECT_EQ(video.codecs[1].associated_payload_type(), 96);
    // mid, abs-send-time and transport-cc keep the ids of the session; audio-level stays audio.
    EXPECT_EQ(video.extensions.size(), 3U);
    EXPECT_EQ(video.extension("urn:ietf:params:rtp-hdrext:sdes:mid")->id, 4);
}

// Chromium 156's answer to our re-offer with two new sections (mids 3 and 4): it keeps its DTLS
// client role and receives on the new sections.
TEST(OfferBuilder, ReadsChromiumsAnswerToOurReoffer) {
    std::string error;
    const auto answer =
        SessionDescription::parse(test::sdpFixture("chromium156-answer-to-reoffer.sdp"), &error);
    ASSERT_TRUE(answer) << error;
    EXPECT_EQ(answer->bundle, (std::vector<std::string>{"0", "1", "2", "3", "4"}));
    ASSERT_EQ(answer->media.size(), 5U);
    for (const auto& m : answer->media) {
        EXPECT_EQ(m.setup, Setup::Active);
    }
    EXPECT_EQ(answer->media[3].direction, Direction::RecvOnly);
    EXPECT_EQ(answer->media[4].direction, Direction::RecvOnly);
    EXPECT_EQ(answer->media[4].codecs.size(), 10U);
}

TEST(OfferBuilder, RefusesAStreamWithoutSsrc) {
    const auto current = answeredChromium();
    const std::vector<OutgoingStream> streams = {stream("3", "video", 0, 0)};
    std::string error;
    EXPECT_FALSE(OfferBuilder(local()).build(current, streams, &error));
    EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace vg::rtc::sdp
