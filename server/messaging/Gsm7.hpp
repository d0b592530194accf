#pragma once
// SMS text in the GSM 7-bit alphabet (3GPP TS 23.038): 160 characters fit one SMS, where a single
// character outside it (a French "ê", a typographic apostrophe) turns the whole message into
// UCS-2 and 70 characters. fold() keeps what the alphabet has (é, è, à, ù are in it) and writes the
// rest as its nearest letters ("ê" -> "e", "’" -> "'", "«" -> "\""), which French readers read
// without trouble.
#include <cstddef>
#include <string>
#include <string_view>

namespace vg::messaging {

class Gsm7 {
  public:
    // UTF-8 in, UTF-8 out, every character in the GSM alphabet (basic or extension table); what
    // has no near letter becomes "?".
    static std::string fold(std::string_view utf8);
    // Septets the text takes (an extension-table character counts 2); nullopt-like -1 when a
    // character is outside the alphabet.
    static long septets(std::string_view utf8);
};

}  // namespace vg::messaging
