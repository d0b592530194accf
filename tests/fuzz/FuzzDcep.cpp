// DCEP (RFC 8832) messages as they arrive on a data channel stream with PPID 50.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "rtc/sctp/DcepMessage.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using vg::rtc::sctp::DcepMessage;
    const auto message = DcepMessage::parse(std::span<const uint8_t>(data, size));
    if (!message) return 0;
    // What parses is written back byte for byte: parse and serialize agree on every field.
    const auto written = message->serialize();
    if (written.size() != size || !std::equal(written.begin(), written.end(), data))
        __builtin_trap();
    return 0;
}
