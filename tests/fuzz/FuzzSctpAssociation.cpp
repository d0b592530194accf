// SCTP packets from the peer into an established association (the data channels' input, as DTLS
// hands it over). The harness is the peer: it opens the association with an INIT and echoes the
// cookie, then turns each record of the input into one chunk of a packet with the right ports,
// verification tag and checksum (what usrsctp would otherwise drop unread). DATA records get the
// next TSN, so DCEP messages, partial and whole messages reach SctpAssociation's own code.
//   record: kind (1 byte), length (1 byte), body
//   kind even: a raw chunk, type = body[0], flags = body[1], value = the rest
//   kind odd:  a DATA chunk, flags = kind >> 1 (U, B, E), its TSN, then the body: stream
//              (2 bytes), stream sequence number (2), payload protocol id (4), payload
#include <usrsctp.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "common/Log.hpp"
#include "rtc/sctp/SctpAssociation.hpp"

namespace {

using vg::rtc::sctp::SctpAssociation;
using Bytes = std::vector<std::uint8_t>;

constexpr std::uint32_t peer_tag = 0x5eed1234;
constexpr std::uint32_t peer_initial_tsn = 1000;

void put16(Bytes& out, std::uint16_t value) {
    out.push_back(static_cast<std::uint8_t>(value >> 8));
    out.push_back(static_cast<std::uint8_t>(value));
}
void put32(Bytes& out, std::uint32_t value) {
    put16(out, static_cast<std::uint16_t>(value >> 16));
    put16(out, static_cast<std::uint16_t>(value));
}
std::uint32_t get32(std::span<const std::uint8_t> in, std::size_t at) {
    return (std::uint32_t{in[at]} << 24) | (std::uint32_t{in[at + 1]} << 16) |
           (std::uint32_t{in[at + 2]} << 8) | in[at + 3];
}

void put_chunk(Bytes& packet, std::uint8_t type, std::uint8_t flags,
               std::span<const std::uint8_t> value) {
    packet.push_back(type);
    packet.push_back(flags);
    put16(packet, static_cast<std::uint16_t>(4 + value.size()));
    packet.insert(packet.end(), value.begin(), value.end());
    while (packet.size() % 4 != 0) packet.push_back(0);
}

class Peer : public SctpAssociation::Listener {
  public:
    void on_sctp_send(SctpAssociation&, std::span<const std::uint8_t> packet) override {
        sent.emplace_back(packet.begin(), packet.end());
    }
    void on_sctp_message(SctpAssociation& association, const SctpAssociation::Channel& channel,
                         SctpAssociation::MessageType,
                         std::span<const std::uint8_t> payload) override {
        if (payload.size() > max_message_size || association.find(channel.label) == nullptr)
            __builtin_trap();
    }

    // A packet of our chunks with the association's tag and a valid CRC32c.
    Bytes packet(std::uint32_t tag, std::span<const std::uint8_t> chunks) const {
        Bytes out;
        put16(out, 5000);
        put16(out, 5000);
        put32(out, tag);
        put32(out, 0);
        out.insert(out.end(), chunks.begin(), chunks.end());
        const std::uint32_t crc = usrsctp_crc32c(out.data(), out.size());
        std::memcpy(out.data() + 8, &crc, sizeof(crc));  // as usrsctp writes it
        return out;
    }

    // The INIT-ACK's initiate tag and state cookie, from what the association sent.
    bool find_init_ack(std::uint32_t& tag, Bytes& cookie) const {
        for (const auto& sent_packet : sent) {
            std::span<const std::uint8_t> p(sent_packet);
            if (p.size() < 12 + 20 || p[12] != 2) continue;
            const std::size_t chunk_end =
                std::min<std::size_t>(p.size(), 12 + ((p[14] << 8) | p[15]));
            tag = get32(p, 16);
            for (std::size_t at = 32; at + 4 <= chunk_end;) {
                const std::size_t type = (p[at] << 8) | p[at + 1];
                const std::size_t length = (p[at + 2] << 8) | p[at + 3];
                if (length < 4 || at + length > chunk_end) break;
                if (type == 7) {
                    cookie.assign(p.begin() + static_cast<std::ptrdiff_t>(at + 4),
                                  p.begin() + static_cast<std::ptrdiff_t>(at + length));
                    return true;
                }
                at += (length + 3) & ~std::size_t{3};
            }
        }
        return false;
    }

    std::size_t max_message_size = 0;
    std::vector<Bytes> sent;
};

void run(const uint8_t* data, size_t size) {
    Peer peer;
    SctpAssociation::Options options;
    options.id = 7;
    options.max_message_size = 4096;
    options.max_channels = 8;
    peer.max_message_size = options.max_message_size;
    SctpAssociation association(options, peer);

    Bytes init;
    put32(init, peer_tag);
    put32(init, 1 << 20);  // a_rwnd
    put16(init, 1024);     // outbound streams
    put16(init, 1024);     // inbound streams
    put32(init, peer_initial_tsn);
    const std::uint8_t extensions[] = {0x80, 0x08, 0x00, 0x06, 0xc0, 0x82, 0x00, 0x00};
    init.insert(init.end(), std::begin(extensions), std::end(extensions));
    const std::uint8_t forward_tsn[] = {0xc0, 0x00, 0x00, 0x04};
    init.insert(init.end(), std::begin(forward_tsn), std::end(forward_tsn));
    Bytes chunks;
    put_chunk(chunks, 1, 0, init);
    association.receive(peer.packet(0, chunks));

    std::uint32_t tag = 0;
    Bytes cookie;
    if (!peer.find_init_ack(tag, cookie)) __builtin_trap();
    chunks.clear();
    put_chunk(chunks, 10, 0, cookie);
    association.receive(peer.packet(tag, chunks));
    if (association.state() != SctpAssociation::State::Connected) __builtin_trap();

    std::uint32_t tsn = peer_initial_tsn;
    for (size_t at = 0; at + 2 <= size;) {
        const std::uint8_t kind = data[at];
        const std::size_t length = std::min<std::size_t>(data[at + 1], size - at - 2);
        const std::span<const std::uint8_t> body(data + at + 2, length);
        at += 2 + length;
        chunks.clear();
        if (kind % 2 == 0) {
            if (body.size() < 2) continue;
            put_chunk(chunks, body[0], body[1], body.subspan(2));
        } else {
            if (body.size() < 8) continue;
            Bytes value;
            put32(value, tsn++);
            value.insert(value.end(), body.begin(), body.end());
            put_chunk(chunks, 0, static_cast<std::uint8_t>((kind >> 1) & 0x7), value);
        }
        association.receive(peer.packet(tag, chunks));
        if (association.channels().size() > options.max_channels) __builtin_trap();
    }
    // What the association answers may open channels of its own.
    (void)association.send_text("chat", "bye");
    association.on_tick();
}

}  // namespace

// A line per opened channel would cost more than the input.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    vg::common::log::configure("off", vg::common::log::Format::Text);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    run(data, size);
    // usrsctp frees a closed socket on a timer: without this, every run's socket stays, and each
    // packet's lookup walks all of them.
    usrsctp_handle_timers(1000);
    return 0;
}
