#include "domain/Validation.hpp"

namespace vg::domain {

bool Validation::is_uuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

bool Validation::is_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t n = 0;
        unsigned code = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            code = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            code = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            code = c & 0x07u;
        } else {
            return false;
        }
        if (i + n >= text.size()) return false;
        for (std::size_t k = 1; k <= n; ++k) {
            auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            code = code << 6 | (cc & 0x3Fu);
        }
        static constexpr unsigned kMin[] = {0, 0x80, 0x800, 0x10000};
        if (code < kMin[n] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
        i += n + 1;
    }
    return true;
}

bool Validation::is_single_line(std::string_view text) {
    if (!is_utf8(text)) return false;
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) return false;
    }
    return true;
}

bool Validation::is_language(std::string_view text) {
    if (text.size() < 2 || text.size() > 3) return false;
    for (char c : text)
        if (c < 'a' || c > 'z') return false;
    return true;
}

bool Validation::is_email(std::string_view text) {
    if (text.size() < 3 || text.size() > 254 || !is_single_line(text)) return false;
    auto at = text.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 == text.size()) return false;
    if (text.find('@', at + 1) != std::string_view::npos) return false;
    return text.find(' ') == std::string_view::npos;
}

std::size_t Validation::code_points(std::string_view text) {
    std::size_t n = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

}  // namespace vg::domain
