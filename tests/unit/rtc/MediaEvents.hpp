#pragma once
// Test helper: a MediaListener that records what the media engine or a worker reports, for a
// test thread to wait on.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/MediaListener.hpp"

namespace vg::rtc::testing {

struct MediaEvents : MediaListener {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::uint64_t> connected;
    std::map<std::uint64_t, std::string> closed;
    std::map<std::uint64_t, std::vector<std::string>> offers;
    std::vector<QualitySummary> quality;

    void on_participant_connected(std::uint64_t id) override {
        std::lock_guard lock(mutex);
        connected.push_back(id);
        changed.notify_all();
    }
    void on_participant_closed(std::uint64_t id, std::string_view reason) override {
        std::lock_guard lock(mutex);
        closed[id] = std::string(reason);
        changed.notify_all();
    }
    void on_offer(std::uint64_t id, std::string sdp) override {
        std::lock_guard lock(mutex);
        offers[id].push_back(std::move(sdp));
        changed.notify_all();
    }
    void on_participant_quality(const QualitySummary& summary) override {
        std::lock_guard lock(mutex);
        quality.push_back(summary);
    }
    bool wait_offers(std::uint64_t id, std::size_t count) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(3),
                                [&] { return offers[id].size() >= count; });
    }
    bool wait_closed(std::uint64_t id, std::chrono::milliseconds limit = std::chrono::seconds(3)) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, limit, [&] { return closed.contains(id); });
    }
};

}  // namespace vg::rtc::testing
