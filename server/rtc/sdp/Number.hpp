#pragma once
// A whole decimal field of a session description line as a number, or std::nullopt.
#include <charconv>
#include <optional>
#include <string_view>

namespace vg::rtc::sdp {

template <typename T>
std::optional<T> number(std::string_view text) {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace vg::rtc::sdp
