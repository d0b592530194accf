#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "rtc/sdp/SessionDescription.hpp"
#include "signaling/MediaEngineAdapter.hpp"
#include "unit/rtc/room/BrowserAnswer.hpp"

namespace vg::signaling {
namespace {

std::string chromium_offer() {
    std::ifstream file(std::string(VG_SOURCE_DIR) + "/tests/unit/rtc/sdp/fixtures/chromium.sdp");
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

struct Failures : CallMedia::Listener {
    void on_server_offer(const std::string& participant_id, std::string sdp) override {
        std::lock_guard lock(mutex);
        offers[participant_id] = std::move(sdp);
    }
    std::optional<std::string> offer_to(const std::string& participant_id) {
        for (int i = 0; i < 300; ++i) {
            {
                std::lock_guard lock(mutex);
                if (auto found = offers.find(participant_id); found != offers.end())
                    return found->second;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return std::nullopt;
    }
    std::mutex mutex;
    std::map<std::string, std::string> offers;
    void on_media_failed(const std::string& participant_id, std::string reason) override {
        failed.push_back(participant_id + ": " + reason);
    }
    std::vector<std::string> failed;
};

struct Answer {
    std::optional<std::string> sdp;
    std::string error;
};

Answer create(MediaEngineAdapter& media, const std::string& id, const std::string& offer) {
    std::promise<Answer> promise;
    media.create_participant(id, {"call-1", "booth", "booth-1"}, offer,
                             [&promise](std::optional<std::string> sdp, std::string error) {
                                 promise.set_value({std::move(sdp), std::move(error)});
                             });
    auto future = promise.get_future();
    EXPECT_EQ(future.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    return future.get();
}

TEST(MediaEngineAdapterTest, BrowserOfferGetsAnIceLiteAnswerAndRemovalIsNoFailure) {
    auto offer = chromium_offer();
    ASSERT_FALSE(offer.empty());
    Failures failures;
    MediaEngineAdapter media;
    media.set_listener(&failures);
    media.engine().start({.bind_address = "127.0.0.1:0", .public_ip = "", .workers = 1});
    auto answer = create(media, "p1", offer);
    ASSERT_TRUE(answer.sdp) << answer.error;
    EXPECT_NE(answer.sdp->find("a=ice-lite"), std::string::npos);
    EXPECT_NE(answer.sdp->find("a=fingerprint:sha-256 " + media.engine().fingerprint()),
              std::string::npos);
    EXPECT_EQ(media.engine().stats().participants, 1u);

    media.remove_participant("p1");
    media.remove_participant("p1");  // twice, as signaling may
    for (int i = 0; i < 100 && media.engine().stats().participants != 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(media.engine().stats().participants, 0u);
    EXPECT_TRUE(failures.failed.empty());
    media.engine().stop();
    media.set_listener(nullptr);
}

std::string accept(MediaEngineAdapter& media, const std::string& id, const std::string& answer) {
    std::promise<std::string> promise;
    media.accept_answer(id, answer, [&promise](std::string error) { promise.set_value(error); });
    return promise.get_future().get();
}

TEST(MediaEngineAdapterTest, AThirdParticipantBringsServerOffersWhoseAnswersAreApplied) {
    const auto offer = chromium_offer();
    Failures listener;
    MediaEngineAdapter media;
    media.set_listener(&listener);
    media.engine().start({.bind_address = "127.0.0.1:0", .public_ip = "", .workers = 1});
    for (const auto* id : {"p1", "p2", "p3"}) ASSERT_TRUE(create(media, id, offer).sdp);

    const auto server_offer = listener.offer_to("p1");
    ASSERT_TRUE(server_offer);
    const auto parsed = rtc::sdp::SessionDescription::parse(*server_offer);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->media.size(), 5u);  // audio, video, data, and the third one's two
    const auto browser_offer = rtc::sdp::SessionDescription::parse(offer);
    const auto& browser = browser_offer->media.front();
    const auto answer =
        rtc::test::browser_answer(*parsed, browser.ice_ufrag, browser.ice_pwd, browser.fingerprint);
    EXPECT_EQ(accept(media, "p1", "v=0 not an answer").substr(0, 17), "unreadable answer");
    EXPECT_EQ(accept(media, "p1", answer.to_string()), "");
    EXPECT_EQ(accept(media, "p1", answer.to_string()), "no offer is waiting for an answer");
    EXPECT_EQ(accept(media, "nobody", answer.to_string()), "no media for this participant");
    media.engine().stop();
    media.set_listener(nullptr);
}

TEST(MediaEngineAdapterTest, UnusableOfferIsRefusedWithAReason) {
    MediaEngineAdapter media;
    media.engine().start({.bind_address = "127.0.0.1:0", .public_ip = "", .workers = 1});
    auto answer = create(media, "p1", "v=0\r\nnot an offer\r\n");
    EXPECT_FALSE(answer.sdp);
    EXPECT_FALSE(answer.error.empty());
    media.remove_participant("p1");  // nothing to remove
    EXPECT_EQ(media.engine().stats().participants, 0u);
}

}  // namespace
}  // namespace vg::signaling
