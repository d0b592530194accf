#include "messaging/Gsm7.hpp"

#include <map>
#include <string>

namespace vg::messaging {

namespace {

// The basic table's characters outside ASCII, and the ASCII ones it lacks.
const std::u32string kBasicExtra = U"£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà";
const std::u32string kAsciiMissing = U"`^{}\\[~]|";  // `: none; the rest: extension table
const std::u32string kExtension = U"^{}\\[~]|€";

const std::map<char32_t, const char*>& nearest() {
    static const std::map<char32_t, const char*> table = {
        {U'â', "a"},      {U'ê', "e"},      {U'î', "i"},  {U'ô', "o"}, {U'û', "u"}, {U'ë', "e"},
        {U'ï', "i"},      {U'ÿ', "y"},      {U'ç', "c"},  {U'À', "A"}, {U'Â', "A"}, {U'È', "E"},
        {U'Ê', "E"},      {U'Ë', "E"},      {U'Î', "I"},  {U'Ï', "I"}, {U'Ô', "O"}, {U'Ù', "U"},
        {U'Û', "U"},      {U'Œ', "OE"},     {U'œ', "oe"}, {U'’', "'"}, {U'‘', "'"}, {U'“', "\""},
        {U'”', "\""},     {U'«', "\""},     {U'»', "\""}, {U'–', "-"}, {U'—', "-"}, {U'…', "..."},
        {U'\u00A0', " "}, {U'\u202F', " "}, {U'`', "'"},  {U'\t', " "}};
    return table;
}

// Decodes one UTF-8 sequence at text[i] (advancing i); U+FFFD for a malformed one.
char32_t next(std::string_view text, std::size_t& i) {
    auto lead = static_cast<unsigned char>(text[i++]);
    if (lead < 0x80) return lead;
    int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : -1;
    if (extra < 0) return U'\uFFFD';
    char32_t c = lead & (0x3F >> extra);
    for (int k = 0; k < extra; ++k) {
        if (i >= text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            return U'\uFFFD';
        c = (c << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
    }
    return c;
}

void put(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// 1 for the basic table, 2 for the extension table, 0 outside the alphabet.
int width(char32_t c) {
    if (kExtension.find(c) != std::u32string::npos) return 2;
    if (c == U'\n' || c == U'\r') return 1;
    if (c >= 0x20 && c < 0x7F) return kAsciiMissing.find(c) == std::u32string::npos ? 1 : 0;
    return kBasicExtra.find(c) != std::u32string::npos ? 1 : 0;
}

}  // namespace

std::string Gsm7::fold(std::string_view utf8) {
    std::string out;
    for (std::size_t i = 0; i < utf8.size();) {
        auto c = next(utf8, i);
        if (width(c) > 0) {
            put(out, c);
        } else if (auto near = nearest().find(c); near != nearest().end()) {
            out += near->second;
        } else {
            out += '?';
        }
    }
    return out;
}

long Gsm7::septets(std::string_view utf8) {
    long count = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        int w = width(next(utf8, i));
        if (w == 0) return -1;
        count += w;
    }
    return count;
}

}  // namespace vg::messaging
