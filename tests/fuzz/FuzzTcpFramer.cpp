// RFC 4571 framing (ICE-TCP) of any byte stream, read in chunks of any size: the frames come out
// whole, in order, never larger than a datagram, and the same as one walk over the whole input;
// a frame too large poisons the stream for good.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "rtc/net/TcpFramer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using vg::rtc::net::TcpFramer;
    if (size < 1) return 0;
    // The first byte chooses how the stream is cut into reads.
    const size_t chunk = 1 + data[0] % 97;
    const std::span<const uint8_t> stream(data + 1, size - 1);

    std::vector<std::span<const uint8_t>> expected;
    bool poisoned = false;
    for (size_t at = 0; stream.size() - at >= TcpFramer::header_size;) {
        const size_t length = (static_cast<size_t>(stream[at]) << 8) | stream[at + 1];
        if (length > TcpFramer::max_frame_size) {
            poisoned = true;
            break;
        }
        if (stream.size() - at - TcpFramer::header_size < length) break;
        expected.push_back(stream.subspan(at + TcpFramer::header_size, length));
        at += TcpFramer::header_size + length;
    }

    TcpFramer framer;
    size_t fed = 0;
    size_t got = 0;
    while (fed < stream.size()) {
        const auto space = framer.free_space();
        if (space.empty()) break;  // poisoned
        const size_t n = std::min({chunk, space.size(), stream.size() - fed});
        std::memcpy(space.data(), stream.data() + fed, n);
        framer.commit(n);
        fed += n;
        while (const auto frame = framer.next()) {
            if (got >= expected.size() || frame->size() != expected[got].size() ||
                std::memcmp(frame->data(), expected[got].data(), frame->size()) != 0)
                __builtin_trap();
            ++got;
        }
    }
    if (got != expected.size() || framer.oversized() != poisoned) __builtin_trap();
    // And what encode() writes reads back the same.
    std::vector<uint8_t> out(TcpFramer::header_size + stream.size());
    const size_t written = TcpFramer::encode(stream, out);
    if (stream.size() <= TcpFramer::max_frame_size &&
        (written != out.size() || std::memcmp(out.data() + 2, stream.data(), stream.size()) != 0))
        __builtin_trap();
    return 0;
}
