#pragma once
// Test helper: bytes from hex as RFCs print them (spaces and line breaks ignored).
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vg::rtc::test {

inline std::vector<uint8_t> hex(std::string_view text) {
    std::string digits;
    for (char c : text) {
        if (std::isxdigit(static_cast<unsigned char>(c)) != 0) {
            digits.push_back(c);
        }
    }
    std::vector<uint8_t> out;
    for (size_t i = 0; i + 1 < digits.size(); i += 2) {
        out.push_back(static_cast<uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
    }
    return out;
}

}  // namespace vg::rtc::test
