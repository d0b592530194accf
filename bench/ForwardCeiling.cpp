// The forwarding ceiling: the least work an SFU must do per packet, on one thread, with the same
// building blocks as the server (UdpSocket batches, SrtpSession, RtpPacket): recvmmsg, SRTP
// unprotect, rewrite SSRC and sequence number, SRTP protect for the other peer of the pair,
// sendmmsg. No ICE, no DTLS (keys are fixed per peer: see ceiling_keys), no RTCP, no rooms.
//
//   vg_forward_ceiling --peers N
// Prints "READY <address>"; peer k sends with SSRC ceiling_ssrc(k, kind) and receives what
// peer k^1 sent. Stops at end of standard input.
#include <poll.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "CeilingKeys.hpp"
#include "rtc/net/UdpSocket.hpp"
#include "rtc/rtp/ByteOrder.hpp"
#include "rtc/rtp/Demux.hpp"
#include "rtc/rtp/RtpPacket.hpp"
#include "rtc/srtp/SrtpSession.hpp"

using namespace vg::rtc;

int main(int argc, char** argv) {
    std::size_t peers = 2;
    for (int i = 1; i + 1 < argc; i += 2)
        if (std::string(argv[i]) == "--peers") peers = std::stoul(argv[i + 1]) & ~std::size_t{1};
    net::UdpSocket socket(*net::SocketAddress::parse("127.0.0.1:0"));
    std::vector<std::unique_ptr<srtp::SrtpSession>> inbound;
    std::vector<std::unique_ptr<srtp::SrtpSession>> outbound;
    for (std::size_t k = 0; k < peers; ++k) {
        const auto keys = vg::bench::ceiling_keys(k);
        // The peer's local key protects what it sends, which we unprotect.
        inbound.push_back(std::make_unique<srtp::SrtpSession>(srtp::SrtpSession::Direction::Inbound,
                                                              keys.profile, keys.local));
        outbound.push_back(std::make_unique<srtp::SrtpSession>(
            srtp::SrtpSession::Direction::Outbound, keys.profile, keys.remote));
    }
    std::vector<std::optional<net::SocketAddress>> addresses(peers);
    std::unordered_map<net::SocketAddress, std::size_t> peer_of;
    std::cout << "READY " << socket.local_address().to_string() << std::endl;

    pollfd descriptors[2] = {{socket.fd(), POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    for (;;) {
        if (::poll(descriptors, 2, 100) < 0) continue;
        if ((descriptors[1].revents & (POLLIN | POLLHUP)) != 0) {
            char ignored[64];
            if (::read(STDIN_FILENO, ignored, sizeof(ignored)) <= 0) break;
        }
        for (int batch = 0; batch < 16; ++batch) {
            const auto datagrams = socket.receive_batch();
            if (datagrams.empty()) break;
            for (auto& datagram : datagrams) {
                std::span<std::uint8_t> bytes{datagram.data, datagram.size};
                if (rtp::classify(bytes) != rtp::PacketKind::Rtp) continue;
                auto known = peer_of.find(datagram.from);
                std::size_t peer = 0;
                if (known != peer_of.end()) {
                    peer = known->second;
                } else {
                    peer = vg::bench::ceiling_peer_of(rtp::read32(datagram.data + 8));
                    if (peer >= peers) continue;
                    peer_of[datagram.from] = peer;
                    addresses[peer] = datagram.from;
                }
                std::size_t size = datagram.size;
                if (!inbound[peer]->unprotect_rtp(datagram.data, size)) continue;
                const auto packet = rtp::RtpPacket::parse({datagram.data, size});
                const std::size_t partner = peer ^ 1;
                if (!packet || !addresses[partner]) continue;
                std::uint8_t* slot = socket.prepare_send();
                std::memcpy(slot, datagram.data, size);
                auto copy = rtp::RtpPacket::parse({slot, size});
                copy->set_ssrc(packet->ssrc() ^ 0x0f000000);
                copy->set_sequence_number(
                    static_cast<std::uint16_t>(packet->sequence_number() + 1));
                if (outbound[partner]->protect_rtp(slot, size, net::UdpSocket::buffer_size))
                    socket.commit_send(size, *addresses[partner]);
            }
            socket.flush();
        }
    }
    return 0;
}
