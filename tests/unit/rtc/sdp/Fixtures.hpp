#pragma once
// Test helper: the browser offers kept as files beside the tests.
#include <fstream>
#include <sstream>
#include <string>

namespace vg::rtc::test {

inline std::string sdpFixture(const std::string& name) {
    std::ifstream in(std::string(VG_SOURCE_DIR) + "/tests/unit/rtc/sdp/fixtures/" + name,
                     std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace vg::rtc::test
