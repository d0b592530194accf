#include <gtest/gtest.h>

#include "rtc/sdp/AnswerBuilder.hpp"
#include "unit/rtc/sdp/Fixtures.hpp"

namespace vg::rtc::sdp {
namespace {

const std::string kOurFingerprint =
    "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:"
    "88:99";

LocalParameters local() {
    LocalParameters p;
    p.ice_ufrag = "srvU";
    p.ice_pwd = "serverpassword0123456789";
    p.fingerprint_sha256 = kOurFingerprint;
    p.candidate_ip = "127.0.0.1";
    p.candidate_port = 40000;
    p.tcp_candidate = true;
    p.session_id = 77;
    p.session_version = 3;
    return p;
}

std::vector<int> payloadTypes(const MediaSection& m) {
    std::vector<int> out;
    for (const auto& c : m.codecs) {
        out.push_back(c.payload_type);
    }
    return out;
}

std::vector<std::string> uris(const MediaSection& m) {
    std::vector<std::string> out;
    for (const auto& e : m.extensions) {
        out.push_back(std::to_string(e.id) + " " + e.uri);
    }
    return out;
}

// The answer as the browser will read it: through text.
SessionDescription answerTo(const std::string& fixture,
                            std::span<const OutgoingStream> streams = {}) {
    const auto offer = SessionDescription::parse(test::sdpFixture(fixture));
    EXPECT_TRUE(offer);
    std::string error;
    const auto answer = AnswerBuilder(local()).build(*offer, streams, &error);
    EXPECT_TRUE(answer) << error;
    const auto parsed = SessionDescription::parse(answer->to_string(), &error);
    EXPECT_TRUE(parsed) << error;
    return *parsed;
}

TEST(AnswerBuilder, AnswersChromiumWithBundleIceLiteAndTheCommonCodecs) {
    const auto answer = answerTo("chromium.sdp");
    EXPECT_TRUE(answer.ice_lite);
    EXPECT_EQ(answer.session_id, 77U);
    EXPECT_EQ(answer.session_version, 3U);
    EXPECT_EQ(answer.bundle, (std::vector<std::string>{"0", "1", "2"}));
    ASSERT_EQ(answer.media.size(), 3U);
    for (const auto& m : answer.media) {
        EXPECT_EQ(m.port, 40000);
        EXPECT_EQ(m.connection, "IN IP4 127.0.0.1");
        EXPECT_EQ(m.ice_ufrag, "srvU");
        EXPECT_EQ(m.ice_pwd, "serverpassword0123456789");
        EXPECT_EQ(m.fingerprint_algorithm, "sha-256");
        EXPECT_EQ(m.fingerprint, kOurFingerprint);
        EXPECT_EQ(m.setup, Setup::Passive);
    }
    const auto& audio = answer.media[0];
    EXPECT_EQ(audio.mid, "0");
    EXPECT_EQ(payloadTypes(audio), (std::vector<int>{111}));
    EXPECT_EQ(audio.codec(111)->fmtp, "minptime=10;useinbandfec=1");
    EXPECT_EQ(audio.codec(111)->feedback, (std::vector<std::string>{"transport-cc"}));
    EXPECT_EQ(uris(audio),
              (std::vector<std::string>{
                  "1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                  "2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                  "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                  "4 urn:ietf:params:rtp-hdrext:sdes:mid"}));
    EXPECT_EQ(audio.direction, Direction::RecvOnly);  // we send nothing on it yet
    EXPECT_TRUE(audio.rtcp_mux);
    EXPECT_TRUE(audio.rtcp_reduced_size);
    EXPECT_TRUE(audio.ssrcs.empty());
    // Our candidates, UDP then passive TCP, once for the whole BUNDLE group.
    ASSERT_EQ(audio.candidates.size(), 2U);
    EXPECT_EQ(audio.candidates[0], "1 1 udp 2130706431 127.0.0.1 40000 typ host");
    EXPECT_EQ(audio.candidates[1], "2 1 tcp 2113937151 127.0.0.1 40000 typ host tcptype passive");
    EXPECT_TRUE(audio.end_of_candidates);

    const auto& video = answer.media[1];
    // VP8, H264 42001f and 42e01f with packetization-mode=1, AV1, VP9 profile 0: each with RTX.
    EXPECT_EQ(payloadTypes(video), (std::vector<int>{96, 97, 102, 103, 106, 107, 45, 46, 98, 99}));
    EXPECT_EQ(video.codec(96)->feedback, (std::vector<std::string>{"goog-remb", "transport-cc",
                                                                   "ccm fir", "nack", "nack pli"}));
    EXPECT_EQ(video.codec(103)->associated_payload_type(), 102);
    EXPECT_EQ(uris(video),
              (std::vector<std::string>{
                  "2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                  "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                  "4 urn:ietf:params:rtp-hdrext:sdes:mid"}));
    EXPECT_TRUE(video.candidates.empty());

    const auto& data = answer.media[2];
    EXPECT_TRUE(data.is_data_channel());
    EXPECT_EQ(data.protocol, "UDP/DTLS/SCTP");
    EXPECT_EQ(data.formats, (std::vector<std::string>{"webrtc-datachannel"}));
    EXPECT_EQ(data.sctp_port, 5000);
    EXPECT_EQ(data.max_message_size, AnswerBuilder::kMaxMessageSize);
}

// Offer captured from this machine's Chromium 156 (audio and video transceivers and a data
// channel); the answer below was accepted by that Chromium's setRemoteDescription.
TEST(AnswerBuilder, AnswersAnOfferCapturedFromChromium156) {
    const auto answer = answerTo("chromium156-captured.sdp");
    EXPECT_EQ(answer.bundle, (std::vector<std::string>{"0", "1", "2"}));
    ASSERT_EQ(answer.media.size(), 3U);
    EXPECT_EQ(payloadTypes(answer.media[0]), (std::vector<int>{111}));
    EXPECT_EQ(payloadTypes(answer.media[1]),
              (std::vector<int>{96, 97, 102, 103, 108, 109, 45, 46, 98, 99}));
    EXPECT_EQ(answer.media[2].sctp_port, 5000);
}

TEST(AnswerBuilder, AnswersFirefox) {
    const auto answer = answerTo("firefox.sdp");
    EXPECT_EQ(answer.bundle, (std::vector<std::string>{"0", "1", "2"}));
    ASSERT_EQ(answer.media.size(), 3U);
    EXPECT_EQ(payloadTypes(answer.media[0]), (std::vector<int>{109}));
    // csrc-audio-level is not ours to forward.
    EXPECT_EQ(answer.media[0].extensions.size(), 2U);
    // VP8, VP9 (no profile-id: profile 0), H264 packetization-mode=1, each with RTX; the
    // packetization-mode=0 H264, ulpfec and red are left out.
    EXPECT_EQ(payloadTypes(answer.media[1]), (std::vector<int>{120, 124, 121, 125, 126, 127}));
    EXPECT_EQ(
        answer.media[1]
            .extension("http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01")
            ->id,
        7);
    EXPECT_EQ(answer.media[1].direction, Direction::RecvOnly);
    EXPECT_EQ(answer.media[2].sctp_port, 5000);
}

// Firefox 153 with bundlePolicy max-bundle (captured): its video and data channel sections are
// bundle-only with port 0 (RFC 8843 7.3.1), which is not a rejection. Taken as rejected, the
// citizen at a Firefox booth was heard but neither seen nor able to chat.
TEST(AnswerBuilder, AcceptsFirefoxBundleOnlySections) {
    const auto answer = answerTo("firefox153-max-bundle.sdp");
    EXPECT_EQ(answer.bundle, (std::vector<std::string>{"0", "1", "2"}));
    ASSERT_EQ(answer.media.size(), 3U);
    for (const auto& section : answer.media) {
        EXPECT_EQ(section.port, 40000) << section.mid;
        EXPECT_FALSE(section.rejected()) << section.mid;
        EXPECT_EQ(section.ice_ufrag, "srvU") << section.mid;
    }
    EXPECT_EQ(payloadTypes(answer.media[0]), (std::vector<int>{109}));
    // VP8, VP9 and AV1, each with its RTX; ulpfec and red are left out.
    EXPECT_EQ(payloadTypes(answer.media[1]), (std::vector<int>{120, 124, 121, 125, 99, 100}));
    EXPECT_EQ(answer.media[1].direction, Direction::RecvOnly);
    EXPECT_EQ(answer.media[2].sctp_port, 5000);
}

TEST(AnswerBuilder, AnswersSafariWithoutItsHighProfileH264) {
    const auto answer = answerTo("safari.sdp");
    EXPECT_EQ(answer.bundle, (std::vector<std::string>{"0", "1"}));
    ASSERT_EQ(answer.media.size(), 2U);
    EXPECT_EQ(payloadTypes(answer.media[0]), (std::vector<int>{111}));
    EXPECT_EQ(payloadTypes(answer.media[1]), (std::vector<int>{98, 99, 100, 101, 127, 125}));
    EXPECT_EQ(answer.media[1].codec(98)->parameter("profile-level-id"), "42e01f");
}

TEST(AnswerBuilder, SendsOnAnOfferedSectionWhenGivenAStream) {
    OutgoingStream stream;
    stream.mid = "1";
    stream.kind = "video";
    stream.stream_id = "agent";
    stream.track_id = "agent-camera";
    stream.cname = "visioguichet";
    stream.ssrc = 1111;
    stream.rtx_ssrc = 2222;
    const auto answer = answerTo("chromium.sdp", std::span(&stream, 1));
    const auto& video = answer.media[1];
    EXPECT_EQ(video.direction, Direction::SendRecv);
    EXPECT_EQ(video.msid, "agent agent-camera");
    ASSERT_EQ(video.ssrc_groups.size(), 1U);
    EXPECT_EQ(video.ssrc_groups[0].ssrcs, (std::vector<uint32_t>{1111, 2222}));
    ASSERT_EQ(video.ssrcs.size(), 2U);
    EXPECT_EQ(video.ssrcs[0].cname, "visioguichet");
    EXPECT_EQ(video.ssrcs[1].msid, "agent agent-camera");
    EXPECT_EQ(answer.media[0].direction, Direction::RecvOnly);
}

TEST(AnswerBuilder, RejectsASectionWithNothingInCommonAndLeavesItOutOfBundle) {
    auto offer = SessionDescription::parse(test::sdpFixture("chromium.sdp"));
    ASSERT_TRUE(offer);
    auto& video = offer->media[1];
    std::erase_if(video.codecs, [](const Codec& c) {
        return c.name != "H264" || c.parameter("packetization-mode") != "0";
    });
    offer->media[0].direction = Direction::SendOnly;
    const auto answer = AnswerBuilder(local()).build(*offer);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->media[1].port, 0);
    EXPECT_EQ(answer->media[1].mid, "1");
    EXPECT_EQ(answer->bundle, (std::vector<std::string>{"0", "2"}));
    EXPECT_EQ(answer->media[0].direction, Direction::RecvOnly);
    const auto text = answer->to_string();
    EXPECT_NE(text.find("m=video 0 UDP/TLS/RTP/SAVPF"), std::string::npos);
}

TEST(AnswerBuilder, RefusesAnOfferWithoutCredentialsOrFingerprint) {
    auto offer = SessionDescription::parse(test::sdpFixture("safari.sdp"));
    ASSERT_TRUE(offer);
    for (auto& m : offer->media) {
        m.fingerprint.clear();
    }
    std::string error;
    EXPECT_FALSE(AnswerBuilder(local()).build(*offer, {}, &error));
    EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace vg::rtc::sdp
