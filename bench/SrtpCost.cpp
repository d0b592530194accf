// CPU cost of SRTP per packet through our SrtpSession: protect then unprotect one RTP packet, for
// each profile we negotiate and two packet sizes (RTP header included, before protection). Built
// twice (bench/CMakeLists.txt): against the libsrtp2 the server links (OpenSSL crypto) and against
// Debian's package (NSS crypto), so that bench/srtp.sh can put both in one run and give the ratio.
//   vg_srtp_cost [--packets N]      prints "PROFILE BYTES MICROSECONDS" per line
#include <time.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/srtp/SrtpSession.hpp"

namespace {

using vg::rtc::srtp::SrtpProfile;
using vg::rtc::srtp::SrtpSession;

double cpu_seconds() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Microseconds of process CPU per packet protected and unprotected. Each packet gets a new
// sequence number (the replay window would refuse a repeat) and is rewritten from its plain form
// before protection (a 1200-byte copy, a few tens of nanoseconds).
double cost_per_packet(SrtpProfile profile, std::size_t packet_bytes, long packets) {
    std::vector<std::uint8_t> key(vg::rtc::srtp::master_key_length(profile) +
                                  vg::rtc::srtp::master_salt_length(profile));
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * 7 + 3);
    SrtpSession sender(SrtpSession::Direction::Outbound, profile, key);
    SrtpSession receiver(SrtpSession::Direction::Inbound, profile, key);

    constexpr std::size_t header = 12;
    const std::size_t payload = packet_bytes - header;
    std::vector<std::uint8_t> plain(header + payload);
    plain[0] = 0x80;  // version 2, no padding, extension or CSRC
    plain[1] = 96;    // a dynamic payload type
    const std::array<std::uint8_t, 4> ssrc{0x12, 0x34, 0x56, 0x78};
    std::memcpy(&plain[8], ssrc.data(), ssrc.size());
    for (std::size_t i = header; i < plain.size(); ++i) plain[i] = static_cast<std::uint8_t>(i);
    std::vector<std::uint8_t> wire(plain.size() + SrtpSession::max_trailer);

    std::uint32_t timestamp = 0;
    auto one = [&](long n) {
        const auto seq = static_cast<std::uint16_t>(n);
        plain[2] = static_cast<std::uint8_t>(seq >> 8);
        plain[3] = static_cast<std::uint8_t>(seq);
        timestamp += 3000;
        for (int b = 0; b < 4; ++b)
            plain[4 + static_cast<std::size_t>(b)] =
                static_cast<std::uint8_t>(timestamp >> (24 - 8 * b));
        std::memcpy(wire.data(), plain.data(), plain.size());
        std::size_t size = plain.size();
        if (!sender.protect_rtp(wire.data(), size, wire.size()) ||
            !receiver.unprotect_rtp(wire.data(), size) || size != plain.size() ||
            std::memcmp(wire.data() + header, plain.data() + header, payload) != 0)
            throw std::runtime_error("SRTP round trip failed");
    };
    for (long n = 0; n < packets / 10; ++n)  // warm caches and the key schedule
        one(n);
    const double start = cpu_seconds();
    for (long n = packets / 10; n < packets / 10 + packets; ++n) one(n);
    return (cpu_seconds() - start) * 1e6 / static_cast<double>(packets);
}

}  // namespace

int main(int argc, char** argv) {
    long packets = 200000;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--packets" && i + 1 < argc) {
            packets = std::stol(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: %s [--packets N]\n", argv[0]);
            return 2;
        }
    }
    if (packets < 1000 || packets > 100000000) {
        std::fprintf(stderr, "--packets: between 1000 and 100000000\n");
        return 2;
    }
    try {
        for (const auto profile : {SrtpProfile::AeadAes128Gcm, SrtpProfile::AesCm128HmacSha180}) {
            const char* name = profile == SrtpProfile::AeadAes128Gcm ? "AEAD_AES_128_GCM"
                                                                     : "AES_CM_128_HMAC_SHA1_80";
            for (const std::size_t bytes : {std::size_t{1200}, std::size_t{100}})
                std::printf("%s %zu %.3f\n", name, bytes, cost_per_packet(profile, bytes, packets));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vg_srtp_cost: %s\n", e.what());
        return 1;
    }
    return 0;
}
