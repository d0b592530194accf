#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <sstream>

#include "signaling/MediaEngineAdapter.hpp"

namespace vg::signaling {
namespace {

std::string chromium_offer() {
    std::ifstream file(std::string(VG_SOURCE_DIR) + "/tests/unit/rtc/sdp/fixtures/chromium.sdp");
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

struct Failures : CallMedia::Listener {
    void on_server_offer(const std::string&, std::string) override {}
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
