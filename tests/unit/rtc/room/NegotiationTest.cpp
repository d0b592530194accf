#include <gtest/gtest.h>

#include <algorithm>

#include "rtc/room/Negotiation.hpp"
#include "rtc/sdp/AnswerBuilder.hpp"
#include "unit/rtc/room/BrowserAnswer.hpp"
#include "unit/rtc/sdp/Fixtures.hpp"

namespace vg::rtc::room {
namespace {

using namespace std::chrono_literals;

sdp::LocalParameters local() {
    sdp::LocalParameters p;
    p.ice_ufrag = "srvU";
    p.ice_pwd = "serverpassword0123456789";
    p.fingerprint_sha256 = "AA:BB";
    p.candidate_ip = "127.0.0.1";
    p.candidate_port = 40000;
    p.session_id = 77;
    return p;
}

sdp::OutgoingStream stream(std::string mid, std::string kind, std::uint32_t ssrc) {
    sdp::OutgoingStream s;
    s.mid = std::move(mid);
    s.kind = std::move(kind);
    s.stream_id = "vg-512";
    s.track_id = "vg-512-" + s.kind;
    s.cname = s.stream_id;
    s.ssrc = ssrc;
    return s;
}

// A Chromium participant that sends audio and video on mids 0 and 1 and receives on them.
class NegotiationTest : public ::testing::Test {
  protected:
    sdp::SessionDescription browser_offer =
        *sdp::SessionDescription::parse(test::sdpFixture("chromium.sdp"));
    const sdp::MediaSection& browser = browser_offer.media.front();
    std::vector<sdp::OutgoingStream> first_streams = {stream("0", "audio", 100),
                                                      stream("1", "video", 101)};
    sdp::SessionDescription first_answer =
        *sdp::AnswerBuilder(local()).build(browser_offer, first_streams);
    Negotiation negotiation{local(), browser_offer, first_answer};

    sdp::SessionDescription offer(std::span<const sdp::OutgoingStream> streams) {
        std::string error;
        const auto text = negotiation.offer(streams, &error);
        EXPECT_TRUE(text) << error;
        const auto parsed = sdp::SessionDescription::parse(text.value_or(""), &error);
        EXPECT_TRUE(parsed) << error;
        return parsed.value_or(sdp::SessionDescription{});
    }
    sdp::SessionDescription answer_to(const sdp::SessionDescription& ours) {
        return test::browser_answer(ours, browser.ice_ufrag, browser.ice_pwd, browser.fingerprint);
    }
};

TEST_F(NegotiationTest, FirstSettingsSendOnTheBrowsersOwnSections) {
    const auto settings = Negotiation::settings(first_answer);
    ASSERT_EQ(settings.sections.size(), 2U);  // the data channel is no media section
    EXPECT_EQ(settings.sections[0].kind, MediaKind::Audio);
    EXPECT_TRUE(settings.sections[0].sends);
    EXPECT_TRUE(settings.sections[0].receives);
    EXPECT_EQ(settings.sections[0].local_ssrc, 100U);
    EXPECT_EQ(settings.sections[1].local_ssrc, 101U);
    EXPECT_TRUE(negotiation.sending("0"));
    EXPECT_FALSE(negotiation.sending("3"));
}

TEST_F(NegotiationTest, ASecondSendersTracksGoInNewSectionsTheBrowserThenReceives) {
    const auto mid_audio = negotiation.new_mid();
    const auto mid_video = negotiation.new_mid();
    EXPECT_EQ(mid_audio, "3");  // 0, 1 and the data channel's 2 are taken
    EXPECT_EQ(mid_video, "4");
    std::vector<sdp::OutgoingStream> streams = first_streams;
    streams.push_back(stream(mid_audio, "audio", 300));
    streams.push_back(stream(mid_video, "video", 400));
    const auto ours = offer(streams);
    ASSERT_EQ(ours.media.size(), 5U);
    EXPECT_EQ(ours.media[3].direction, sdp::Direction::SendOnly);
    EXPECT_EQ(ours.media[3].ssrcs.at(0).ssrc, 300U);
    EXPECT_EQ(ours.media[3].msid, "vg-512 vg-512-audio");
    // The same transport: no ICE restart, and the browser stays DTLS client.
    for (const auto& section : ours.media) {
        EXPECT_EQ(section.ice_ufrag, "srvU");
        EXPECT_EQ(section.fingerprint, "AA:BB");
        EXPECT_EQ(section.setup, sdp::Setup::ActPass);
    }
    EXPECT_TRUE(negotiation.pending());
    EXPECT_FALSE(negotiation.sending(mid_audio));  // until the browser accepts

    std::string error;
    const auto settings = negotiation.accept(answer_to(ours).to_string(), &error);
    ASSERT_TRUE(settings) << error;
    EXPECT_FALSE(negotiation.pending());
    EXPECT_TRUE(negotiation.sending(mid_audio));
    ASSERT_EQ(settings->sections.size(), 4U);
    // The browser's own sections are kept as negotiated; the new ones only carry our tracks.
    EXPECT_TRUE(settings->sections[0].sends);
    EXPECT_TRUE(settings->sections[0].receives);
    EXPECT_EQ(settings->sections[0].local_ssrc, 100U);
    EXPECT_FALSE(settings->sections[2].sends);
    EXPECT_TRUE(settings->sections[2].receives);
    EXPECT_EQ(settings->sections[2].mid, "3");
    EXPECT_EQ(settings->sections[2].local_ssrc, 300U);
    EXPECT_EQ(settings->sections[3].local_ssrc, 400U);
    EXPECT_EQ(settings->sections[3].codecs.size(), ours.media[4].codecs.size());
}

bool has_rtx_codec(const sdp::MediaSection& section) {
    return std::any_of(section.codecs.begin(), section.codecs.end(),
                       [](const sdp::Codec& codec) { return codec.associated_payload_type(); });
}

// RFC 4588 and RFC 5576: where the browser takes RTX, our video goes with an RTX SSRC of its
// own in a FID group, in our first answer and in our later offers; the settings name it, so
// that the browser's NACKs are answered in RTX. A browser that drops RTX gets none.
TEST_F(NegotiationTest, OurVideoCarriesItsRtxStreamInAnswersAndOffers) {
    auto streams = first_streams;
    streams[1].rtx_ssrc = 111;
    const auto answer = *sdp::AnswerBuilder(local()).build(browser_offer, streams);
    const auto& video = answer.media.at(1);
    EXPECT_TRUE(has_rtx_codec(video));
    ASSERT_EQ(video.ssrc_groups.size(), 1U);
    EXPECT_EQ(video.ssrc_groups[0].semantics, "FID");
    EXPECT_EQ(video.ssrc_groups[0].ssrcs, (std::vector<std::uint32_t>{101, 111}));
    const auto text = answer.to_string();
    EXPECT_NE(text.find("a=ssrc-group:FID 101 111\r\n"), std::string::npos);
    EXPECT_NE(text.find("a=ssrc:111 cname:vg-512\r\n"), std::string::npos);
    EXPECT_EQ(answer.media.at(0).ssrc_groups.size(), 0U);  // audio: no RTX
    const auto first = Negotiation::settings(answer);
    EXPECT_EQ(first.sections[0].local_rtx_ssrc, 0U);
    EXPECT_EQ(first.sections[1].local_ssrc, 101U);
    EXPECT_EQ(first.sections[1].local_rtx_ssrc, 111U);

    Negotiation renegotiation{local(), browser_offer, answer};
    auto added = stream(renegotiation.new_mid(), "video", 400);
    added.rtx_ssrc = 401;
    streams.push_back(added);
    std::string error;
    const auto offered = renegotiation.offer(streams, &error);
    ASSERT_TRUE(offered) << error;
    EXPECT_NE(offered->find("a=ssrc-group:FID 101 111\r\n"), std::string::npos);
    EXPECT_NE(offered->find("a=ssrc-group:FID 400 401\r\n"), std::string::npos);
    const auto ours = *sdp::SessionDescription::parse(*offered);
    EXPECT_TRUE(has_rtx_codec(ours.media.back()));
    const auto accepted = renegotiation.accept(answer_to(ours).to_string(), &error);
    ASSERT_TRUE(accepted) << error;
    EXPECT_EQ(accepted->sections[1].local_rtx_ssrc, 111U);
    EXPECT_EQ(accepted->sections.back().local_ssrc, 400U);
    EXPECT_EQ(accepted->sections.back().local_rtx_ssrc, 401U);

    // The same offer answered without RTX: no RTX stream, though our offer named one.
    Negotiation without{local(), browser_offer, answer};
    ASSERT_TRUE(without.offer(streams, &error)) << error;
    auto stripped = answer_to(ours);
    for (auto& section : stripped.media) {
        if (!section.is_rtp()) continue;
        std::erase_if(section.codecs,
                      [](const sdp::Codec& codec) { return codec.associated_payload_type(); });
        section.formats.clear();
        for (const auto& codec : section.codecs)
            section.formats.push_back(std::to_string(codec.payload_type));
    }
    const auto plain = without.accept(stripped.to_string(), &error);
    ASSERT_TRUE(plain) << error;
    EXPECT_EQ(plain->sections[1].local_rtx_ssrc, 0U);
    EXPECT_EQ(plain->sections.back().local_rtx_ssrc, 0U);
}

TEST_F(NegotiationTest, ALeaversSectionsGoInactiveAndAreReusedWithoutGrowing) {
    std::vector<sdp::OutgoingStream> streams = first_streams;
    streams.push_back(stream(negotiation.new_mid(), "audio", 300));
    streams.push_back(stream(negotiation.new_mid(), "video", 400));
    ASSERT_TRUE(negotiation.accept(answer_to(offer(streams)).to_string(), nullptr));

    streams.resize(2);
    const auto without = offer(streams);
    ASSERT_EQ(without.media.size(), 5U);
    EXPECT_EQ(without.media[3].direction, sdp::Direction::Inactive);
    EXPECT_TRUE(without.media[3].ssrcs.empty());
    EXPECT_EQ(without.media[4].direction, sdp::Direction::Inactive);
    EXPECT_EQ(without.bundle.size(), 5U);  // inactive, still on the one transport
    const auto settings = negotiation.accept(answer_to(without).to_string(), nullptr);
    ASSERT_TRUE(settings);
    EXPECT_FALSE(settings->sections[2].receives);
    EXPECT_FALSE(negotiation.sending("3"));

    streams.push_back(stream("3", "audio", 300));
    streams.push_back(stream("4", "video", 400));
    const auto again = offer(streams);
    EXPECT_EQ(again.media.size(), 5U);
    EXPECT_EQ(again.media[3].direction, sdp::Direction::SendOnly);
    EXPECT_GT(again.session_version, without.session_version);
}

TEST_F(NegotiationTest, OneOfferAtATimeAnsweredInTime) {
    EXPECT_FALSE(negotiation.overdue(Negotiation::Clock::now() + 1h));
    const auto ours = offer(first_streams);
    const auto now = Negotiation::Clock::now();
    EXPECT_FALSE(negotiation.overdue(now));
    EXPECT_TRUE(negotiation.overdue(now + Negotiation::answer_timeout + 1s));
    std::string error;
    EXPECT_FALSE(negotiation.offer(first_streams, &error));
    EXPECT_NE(error.find("already waiting"), std::string::npos);
    ASSERT_TRUE(negotiation.accept(answer_to(ours).to_string(), &error)) << error;
    EXPECT_FALSE(negotiation.overdue(now + 1h));
}

TEST_F(NegotiationTest, AnswersThatDoNotFitAreRefusedAndTheOfferStillWaits) {
    std::string error;
    EXPECT_FALSE(negotiation.accept("v=0", &error));
    EXPECT_EQ(error, "no offer is waiting for an answer");

    std::vector<sdp::OutgoingStream> streams = first_streams;
    streams.push_back(stream(negotiation.new_mid(), "video", 400));
    const auto ours = offer(streams);
    const auto refused = [&](sdp::SessionDescription answer) {
        std::string reason;
        const bool accepted = negotiation.accept(answer.to_string(), &reason).has_value();
        EXPECT_TRUE(negotiation.pending());
        return accepted ? std::string() : reason;
    };

    EXPECT_FALSE(negotiation.accept("not a description", &error));
    EXPECT_NE(error.find("unreadable"), std::string::npos);
    auto fewer = answer_to(ours);
    fewer.media.pop_back();
    EXPECT_NE(refused(fewer).find("sections"), std::string::npos);
    auto restart = answer_to(ours);
    for (auto& section : restart.media) section.ice_ufrag = "new1";
    EXPECT_NE(refused(restart).find("restarts ICE"), std::string::npos);
    auto other_certificate = answer_to(ours);
    for (auto& section : other_certificate.media) section.fingerprint = "00:11";
    EXPECT_NE(refused(other_certificate).find("fingerprint"), std::string::npos);
    auto role = answer_to(ours);
    for (auto& section : role.media) section.setup = sdp::Setup::Passive;
    EXPECT_NE(refused(role).find("DTLS role"), std::string::npos);
    auto codec = answer_to(ours);
    codec.media[3].codecs.push_back({77, "H265", 90000, 0, "", {}});
    codec.media[3].formats.push_back("77");
    EXPECT_NE(refused(codec).find("codec 77"), std::string::npos);
    auto extension = answer_to(ours);
    extension.media[3].extensions.at(0).id = 14;
    EXPECT_NE(refused(extension).find("header extension"), std::string::npos);
    auto swapped = answer_to(ours);
    std::swap(swapped.media[0], swapped.media[1]);
    EXPECT_NE(refused(swapped).find("answered as"), std::string::npos);

    EXPECT_TRUE(negotiation.accept(answer_to(ours).to_string(), &error)) << error;
}

TEST_F(NegotiationTest, ABrowserOfferWithNewIceCredentialsRestartsIceAndKeepsDtls) {
    // The browser's network changed: it offers its sections again with new credentials.
    auto restart = browser_offer;
    for (auto& section : restart.media) {
        section.ice_ufrag = "brwNEW";
        section.ice_pwd = "newbrowserpassword012345";
    }
    const ice::Credentials fresh{"srvNEW", "newserverpassword0123456"};
    ice::Credentials remote;
    std::string error;
    EXPECT_FALSE(negotiation.restart_ice(restart.to_string(), fresh, remote, &error));
    EXPECT_NE(error.find("still on its way"), std::string::npos);
    negotiation.open = true;
    const auto text = negotiation.restart_ice(restart.to_string(), fresh, remote, &error);
    ASSERT_TRUE(text) << error;
    EXPECT_EQ(remote.ufrag, "brwNEW");
    EXPECT_EQ(remote.pwd, "newbrowserpassword012345");
    const auto answer = sdp::SessionDescription::parse(*text, &error);
    ASSERT_TRUE(answer) << error;
    ASSERT_EQ(answer->media.size(), first_answer.media.size());
    EXPECT_GT(answer->session_version, first_answer.session_version);
    EXPECT_TRUE(answer->ice_lite);
    for (std::size_t i = 0; i < answer->media.size(); ++i) {
        const auto& section = answer->media[i];
        EXPECT_EQ(section.mid, first_answer.media[i].mid);
        EXPECT_EQ(section.ice_ufrag, "srvNEW");
        EXPECT_EQ(section.ice_pwd, "newserverpassword0123456");
        // Same certificate and role: DTLS and SRTP carry on, no new handshake.
        EXPECT_EQ(section.fingerprint, "AA:BB");
        EXPECT_EQ(section.setup, first_answer.media[i].setup);
        EXPECT_EQ(section.direction, first_answer.media[i].direction);
        EXPECT_EQ(section.codecs.size(), first_answer.media[i].codecs.size());
    }
    EXPECT_FALSE(answer->media.front().candidates.empty());

    // Later server offers carry the new credentials; the browser's answer must carry its own.
    const auto ours = offer(first_streams);
    EXPECT_EQ(ours.media.front().ice_ufrag, "srvNEW");
    EXPECT_FALSE(negotiation.accept(answer_to(ours).to_string(), &error));
    EXPECT_NE(error.find("restarts ICE"), std::string::npos);
    EXPECT_TRUE(negotiation.accept(
        test::browser_answer(ours, "brwNEW", "newbrowserpassword012345", browser.fingerprint)
            .to_string(),
        &error))
        << error;
}

TEST_F(NegotiationTest, ABrowserOfferThatChangesAnythingButIceIsRefused) {
    negotiation.open = true;
    const ice::Credentials fresh{"srvNEW", "newserverpassword0123456"};
    const auto refused = [&](const sdp::SessionDescription& offer) {
        ice::Credentials remote;
        std::string reason;
        EXPECT_FALSE(negotiation.restart_ice(offer.to_string(), fresh, remote, &reason));
        EXPECT_TRUE(remote.ufrag.empty());
        return reason;
    };
    auto restarted = browser_offer;
    for (auto& section : restarted.media) section.ice_ufrag = "brwNEW";

    EXPECT_NE(refused(browser_offer).find("same ICE credentials"), std::string::npos);
    auto fewer = restarted;
    fewer.media.pop_back();
    EXPECT_NE(refused(fewer).find("sections"), std::string::npos);
    auto certificate = restarted;
    for (auto& section : certificate.media) section.fingerprint = "00:11";
    EXPECT_NE(refused(certificate).find("fingerprint"), std::string::npos);
    auto swapped = restarted;
    std::swap(swapped.media[0], swapped.media[1]);
    EXPECT_NE(refused(swapped).find("offered as"), std::string::npos);

    // While our offer waits for its answer, the browser answers first.
    const auto ours = offer(first_streams);
    EXPECT_NE(refused(restarted).find("waiting for its answer"), std::string::npos);
    ASSERT_TRUE(negotiation.accept(answer_to(ours).to_string(), nullptr));
    ice::Credentials remote;
    std::string error;
    EXPECT_TRUE(negotiation.restart_ice(restarted.to_string(), fresh, remote, &error)) << error;
}

// Chromium 156's own answer to such a re-offer (captured): it receives on the two new sections
// and keeps sending on its own.
TEST(Negotiation, AcceptsChromiumsAnswerToOurReoffer) {
    const auto chromium_answer = test::sdpFixture("chromium156-answer-to-reoffer.sdp");
    const auto answered = sdp::SessionDescription::parse(chromium_answer);
    ASSERT_TRUE(answered);
    // The offer it answered came from the same browser session: its transport.
    auto browser_offer =
        *sdp::SessionDescription::parse(test::sdpFixture("chromium156-captured.sdp"));
    for (auto& section : browser_offer.media) {
        section.ice_ufrag = answered->media[0].ice_ufrag;
        section.ice_pwd = answered->media[0].ice_pwd;
        section.fingerprint = answered->media[0].fingerprint;
    }
    const auto first = *sdp::AnswerBuilder(local()).build(browser_offer);  // we only receive
    Negotiation negotiation(local(), browser_offer, first);
    const std::vector<sdp::OutgoingStream> streams = {stream(negotiation.new_mid(), "audio", 300),
                                                      stream(negotiation.new_mid(), "video", 400)};
    std::string error;
    ASSERT_TRUE(negotiation.offer(streams, &error)) << error;
    const auto settings = negotiation.accept(chromium_answer, &error);
    ASSERT_TRUE(settings) << error;
    ASSERT_EQ(settings->sections.size(), 4U);
    EXPECT_TRUE(settings->sections[0].sends);
    EXPECT_FALSE(settings->sections[0].receives);
    EXPECT_TRUE(settings->sections[3].receives);
    EXPECT_EQ(settings->sections[3].local_ssrc, 400U);
    EXPECT_EQ(settings->sections[3].codecs.size(), 10U);
}

}  // namespace
}  // namespace vg::rtc::room
