#include "domain/CheckInCode.hpp"

#include "common/Secret.hpp"

namespace vg::domain {

std::string CheckInCode::generate() {
    std::string code;
    for (std::size_t i = 0; i < kLength; ++i)
        code +=
            kAlphabet[common::secret::random_below(static_cast<std::uint32_t>(kAlphabet.size()))];
    return code;
}

std::optional<std::string> CheckInCode::normalize(std::string_view typed) {
    if (typed.size() > 32) return std::nullopt;
    std::string code;
    for (char c : typed) {
        if (c == ' ' || c == '-') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (kAlphabet.find(c) == std::string_view::npos) return std::nullopt;
        code += c;
    }
    if (code.size() != kLength) return std::nullopt;
    return code;
}

}  // namespace vg::domain
