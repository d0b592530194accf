#include <gtest/gtest.h>

#include <stdexcept>

#include "common/Log.hpp"

namespace vg::common::log {

TEST(Log, SameModuleGivesSameLogger) {
    EXPECT_EQ(get("test"), get("test"));
}

TEST(Log, ConfigureSetsLevelOfEveryLogger) {
    auto logger = get("level-test");
    configure("warn", Format::Text);
    EXPECT_EQ(logger->level(), spdlog::level::warn);
    configure("debug", Format::Json);
    EXPECT_EQ(get("made-after")->level(), spdlog::level::debug);
    configure("info", Format::Text);
}

TEST(Log, UnknownLevelIsRefused) {
    EXPECT_THROW(configure("loud", Format::Text), std::invalid_argument);
}

}  // namespace vg::common::log
