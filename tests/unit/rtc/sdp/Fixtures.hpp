#pragma once
// Test helper: the browser offers kept as files beside the tests.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "rtc/sdp/SessionDescription.hpp"

namespace vg::rtc::test {

inline std::string sdpFixture(const std::string& name) {
    std::ifstream in(std::string(VG_SOURCE_DIR) + "/tests/unit/rtc/sdp/fixtures/" + name,
                     std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The payload types of a section's codecs, in order.
inline std::vector<int> payloadTypes(const sdp::MediaSection& m) {
    std::vector<int> out;
    for (const auto& c : m.codecs) out.push_back(c.payload_type);
    return out;
}

}  // namespace vg::rtc::test
