// RTP parsing, demultiplexing, in-place rewriting and header-extension remapping.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "rtc/rtp/Demux.hpp"
#include "rtc/rtp/RtpPacket.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace vg::rtc::rtp;
    std::vector<uint8_t> buffer(data, data + size);
    (void)classify(buffer);
    auto packet = RtpPacket::parse(buffer);
    if (!packet) {
        return 0;
    }
    (void)packet->payload();
    for (size_t i = 0; i < packet->csrc_count(); ++i) {
        (void)packet->csrc(i);
    }
    for (unsigned id = 0; id < 256; ++id) {
        (void)packet->extension(static_cast<uint8_t>(id));
    }
    ExtensionIdMap map{};
    for (unsigned id = 1; id < 256; ++id) {
        map[id] = static_cast<uint8_t>((id * 7) % 17);  // some renamed, some dropped
    }
    const size_t payloadSize = packet->payload().size();
    packet->remap_extension_ids(map);
    packet->set_payload_type(static_cast<uint8_t>(size & 0x7F));
    packet->set_sequence_number(static_cast<uint16_t>(size));
    packet->set_ssrc(0x12345678);
    packet->set_marker((size & 1) != 0);
    // A rewritten packet stays a valid packet with the same payload.
    const auto again = RtpPacket::parse(buffer);
    if (!again || again->payload().size() != payloadSize || again->ssrc() != 0x12345678) {
        __builtin_trap();
    }
    return 0;
}
