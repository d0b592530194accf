#include "SimulatedPeer.hpp"

#include <openssl/rand.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>

#include "rtc/rtp/Demux.hpp"
#include "rtc/rtp/RtpPacket.hpp"
#include "rtc/stun/MessageWriter.hpp"

namespace vg::rtc::testing {

SimulatedPeer::SimulatedPeer(net::SocketAddress server, ice::Credentials server_ice,
                             std::string server_fingerprint,
                             std::optional<ice::Credentials> own_ice,
                             std::shared_ptr<dtls::DtlsCertificate> certificate,
                             dtls::DtlsTransport::Role role)
    : server_(server),
      server_ice_(std::move(server_ice)),
      ice_(own_ice ? *own_ice : ice::IceLiteAgent::random_credentials()),
      certificate_(certificate ? std::move(certificate)
                               : std::make_shared<dtls::DtlsCertificate>()),
      context_(std::make_unique<dtls::DtlsContext>(certificate_)),
      socket_(std::make_unique<net::UdpSocket>(server.is_v6()
                                                   ? *net::SocketAddress::parse("[::1]:0")
                                                   : *net::SocketAddress::parse("127.0.0.1:0"))),
      dtls_(std::make_unique<dtls::DtlsTransport>(
          *context_, role, std::move(server_fingerprint),
          static_cast<dtls::DtlsTransport::Listener&>(*this))) {}

SimulatedPeer::~SimulatedPeer() {
    close_tcp();
}

bool SimulatedPeer::use_tcp() {
    close_tcp();
    tcp_fd_ = ::socket(server_.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_storage storage{};
    const socklen_t length = server_.to_sockaddr(storage);
    if (tcp_fd_ < 0 ||
        ::connect(tcp_fd_, reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
        close_tcp();
        return false;
    }
    tcp_frames_ = std::make_unique<net::TcpFramer>();
    return true;
}

void SimulatedPeer::close_tcp() {
    if (tcp_fd_ >= 0) ::close(tcp_fd_);
    tcp_fd_ = -1;
}

void SimulatedPeer::move_to_new_port() {
    close_tcp();
    socket_ = std::make_unique<net::UdpSocket>(server_.is_v6()
                                                   ? *net::SocketAddress::parse("[::1]:0")
                                                   : *net::SocketAddress::parse("127.0.0.1:0"));
}

void SimulatedPeer::send_datagram(std::span<const std::uint8_t> datagram) {
    if (!tcp_frames_) {
        socket_->send(datagram, server_);
        if (!batch_sends) socket_->flush();
        return;
    }
    std::array<std::uint8_t, net::TcpFramer::header_size + net::TcpFramer::max_frame_size> frame{};
    const std::size_t size = net::TcpFramer::encode(datagram, frame);
    // Blocking: a test peer may wait for the server to read.
    if (tcp_fd_ >= 0 && size != 0) (void)::send(tcp_fd_, frame.data(), size, MSG_NOSIGNAL);
}

void SimulatedPeer::send_binding_request(bool nominate) {
    std::array<std::uint8_t, stun::kTransactionIdSize> transaction{};
    RAND_bytes(transaction.data(), transaction.size());
    std::array<std::uint8_t, 512> buffer{};
    stun::MessageWriter writer(buffer, stun::Method::Binding, stun::Class::Request, transaction);
    writer.add_username(server_ice_.ufrag + ":" + ice_.ufrag);
    writer.add_priority(0x7e7f00ff);
    writer.add_ice_controlling(0x1122334455667788ULL);
    if (nominate) writer.add_use_candidate();
    writer.add_message_integrity(server_ice_.pwd);
    writer.add_fingerprint();
    const bool batched = batch_sends;
    batch_sends = false;
    send_datagram({buffer.data(), writer.finish()});
    batch_sends = batched;
}

bool SimulatedPeer::connect(std::chrono::milliseconds limit) {
    send_binding_request(true);
    dtls_->start();
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!outbound_ && !dtls_failed && std::chrono::steady_clock::now() < deadline) {
        poll(std::chrono::milliseconds(10));
        dtls_->handle_timer();
    }
    return outbound_ != nullptr;
}

bool SimulatedPeer::send_protected(std::span<const std::uint8_t> packet, bool control) {
    if (!outbound_ || packet.size() + srtp::SrtpSession::max_trailer > scratch_.size())
        return false;
    std::copy(packet.begin(), packet.end(), scratch_.begin());
    std::size_t size = packet.size();
    if (!(control ? outbound_->protect_rtcp(scratch_.data(), size, scratch_.size())
                  : outbound_->protect_rtp(scratch_.data(), size, scratch_.size())))
        return false;
    send_datagram({scratch_.data(), size});
    return true;
}

bool SimulatedPeer::send_rtp(std::span<const std::uint8_t> packet) {
    return send_protected(packet, false);
}

bool SimulatedPeer::send_rtcp(std::span<const std::uint8_t> packet) {
    return send_protected(packet, true);
}

void SimulatedPeer::use_keys(const srtp::SrtpKeys& keys) {
    on_dtls_connected(keys);
}

void SimulatedPeer::poll(std::chrono::milliseconds duration) {
    const auto deadline = std::chrono::steady_clock::now() + duration;
    do {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd descriptors[2] = {{socket_->fd(), POLLIN, 0}, {tcp_fd_, POLLIN, 0}};
        if (::poll(descriptors, tcp_fd_ >= 0 ? 2 : 1,
                   static_cast<int>(std::max<long>(0, left.count()))) < 1)
            continue;
        for (auto& datagram : socket_->receive_batch()) handle(datagram.data, datagram.size);
        if (tcp_fd_ >= 0 && (descriptors[1].revents & POLLIN) != 0) {
            const auto space = tcp_frames_->free_space();
            const ssize_t count = ::recv(tcp_fd_, space.data(), space.size(), MSG_DONTWAIT);
            if (count > 0) tcp_frames_->commit(static_cast<std::size_t>(count));
            if (count == 0) close_tcp();
            std::array<std::uint8_t, net::UdpSocket::buffer_size> copy{};
            while (const auto frame = tcp_frames_->next()) {
                std::copy(frame->begin(), frame->end(), copy.begin());
                handle(copy.data(), frame->size());
            }
        }
        if (data_channels_) data_channels_->on_tick();
        socket_->flush();
    } while (std::chrono::steady_clock::now() < deadline);
}

void SimulatedPeer::check_srtp_index(std::span<const std::uint8_t> datagram) {
    if (datagram.size() < 12) return;
    const std::uint32_t ssrc = static_cast<std::uint32_t>(datagram[8]) << 24 | datagram[9] << 16 |
                               datagram[10] << 8 | datagram[11];
    const auto sequence = static_cast<std::uint16_t>(datagram[2] << 8 | datagram[3]);
    // The sender's rollover counter as a receiver estimates it (RFC 3711 section 3.3.1).
    auto [known, added] = srtp_streams_.try_emplace(ssrc, StreamIndex{sequence, 0});
    auto& stream = known->second;
    std::uint32_t rollover = stream.rollover;
    const auto step = static_cast<std::int16_t>(sequence - stream.highest);
    if (!added && step > 0 && sequence < stream.highest) rollover = stream.rollover + 1;
    if (!added && step < 0 && sequence > stream.highest && rollover > 0) --rollover;
    if (added || step > 0) {
        stream.highest = sequence;
        stream.rollover = rollover;
    }
    ++srtp_packets_seen;
    const std::vector<std::uint8_t> bytes(datagram.begin(), datagram.end());
    const auto [first, fresh] = srtp_seen_.try_emplace(
        {ssrc, static_cast<std::uint64_t>(rollover) << 16 | sequence}, bytes);
    if (!fresh && first->second != bytes) ++srtp_nonce_reuses;
}

void SimulatedPeer::handle(std::uint8_t* data, std::size_t size) {
    std::span<std::uint8_t> bytes{data, size};
    switch (rtp::classify(bytes)) {
        case rtp::PacketKind::Stun:
            ++stun_responses;
            break;
        case rtp::PacketKind::Dtls:
            dtls_->receive(bytes);
            break;
        case rtp::PacketKind::Rtp: {
            if (keep_received) check_srtp_index({data, size});
            if (lose_rtp_sequence && size >= 4 && (data[2] << 8 | data[3]) == *lose_rtp_sequence) {
                lose_rtp_sequence.reset();
                break;
            }
            if (!inbound_ || !inbound_->unprotect_rtp(data, size)) break;
            const auto packet = rtp::RtpPacket::parse({data, size});
            if (!packet) break;
            ++rtp_received;
            if (!keep_received) break;
            rtp.push_back({packet->payload_type(),
                           packet->sequence_number(),
                           packet->timestamp(),
                           packet->ssrc(),
                           {data, data + size}});
            break;
        }
        case rtp::PacketKind::Rtcp: {
            if (!inbound_ || !inbound_->unprotect_rtcp(data, size)) break;
            rtcp.emplace_back(data, data + size);
            break;
        }
        default:
            break;
    }
}

bool SimulatedPeer::wait_for_rtp(std::size_t count, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (rtp.size() < count && std::chrono::steady_clock::now() < deadline)
        poll(std::chrono::milliseconds(10));
    return rtp.size() >= count;
}

bool SimulatedPeer::wait_for_rtcp(std::size_t count, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (rtcp.size() < count && std::chrono::steady_clock::now() < deadline)
        poll(std::chrono::milliseconds(10));
    return rtcp.size() >= count;
}

void SimulatedPeer::on_dtls_send(std::span<const std::uint8_t> datagram) {
    const bool batched = batch_sends;
    batch_sends = false;
    send_datagram(datagram);
    batch_sends = batched;
}

void SimulatedPeer::on_dtls_connected(const srtp::SrtpKeys& keys) {
    inbound_ = std::make_unique<srtp::SrtpSession>(srtp::SrtpSession::Direction::Inbound,
                                                   keys.profile, keys.remote);
    outbound_ = std::make_unique<srtp::SrtpSession>(srtp::SrtpSession::Direction::Outbound,
                                                    keys.profile, keys.local);
}

bool SimulatedPeer::connect_data_channels(std::chrono::milliseconds limit) {
    sctp::SctpAssociation::Options options;
    options.dtls_client = dtls_->role() == dtls::DtlsTransport::Role::Client;
    data_channels_ = std::make_unique<sctp::SctpAssociation>(
        options, static_cast<sctp::SctpAssociation::Listener&>(*this));
    data_channels_->connect();
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (data_channels_->state() != sctp::SctpAssociation::State::Connected &&
           std::chrono::steady_clock::now() < deadline)
        poll(std::chrono::milliseconds(10));
    return data_channels_->state() == sctp::SctpAssociation::State::Connected;
}

bool SimulatedPeer::send_chat(std::string_view text) {
    return data_channels_ && data_channels_->send_text("chat", text);
}

void SimulatedPeer::on_dtls_application_data(std::span<const std::uint8_t> data) {
    if (data_channels_) data_channels_->receive(data);
}

void SimulatedPeer::on_sctp_send(sctp::SctpAssociation&, std::span<const std::uint8_t> packet) {
    dtls_->send_application_data(packet);
}

void SimulatedPeer::on_sctp_message(sctp::SctpAssociation&,
                                    const sctp::SctpAssociation::Channel& channel,
                                    sctp::SctpAssociation::MessageType,
                                    std::span<const std::uint8_t> payload) {
    if (channel.label == "chat") chat.emplace_back(payload.begin(), payload.end());
}

void SimulatedPeer::on_dtls_failed(std::string_view) {
    dtls_failed = true;
}

void SimulatedPeer::on_dtls_closed() {
    dtls_closed = true;
}

std::vector<std::uint8_t> make_rtp(std::uint8_t payload_type, std::uint16_t sequence,
                                   std::uint32_t timestamp, std::uint32_t ssrc,
                                   std::size_t payload_size, std::uint8_t extension_id,
                                   std::uint8_t extension_value) {
    const std::size_t header = extension_id != 0 ? 20 : 12;
    // Sized once and filled by index: GCC 12 at -O3 warns falsely on insert() here.
    std::vector<std::uint8_t> packet(header + payload_size, 0);
    packet[0] = extension_id != 0 ? 0x90 : 0x80;
    packet[1] = payload_type;
    packet[2] = static_cast<std::uint8_t>(sequence >> 8);
    packet[3] = static_cast<std::uint8_t>(sequence);
    for (int i = 0; i < 4; ++i) {
        packet[4 + i] = static_cast<std::uint8_t>(timestamp >> (24 - 8 * i));
        packet[8 + i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
    }
    if (extension_id != 0) {
        // 0xBEDE block of one word: one element of one byte, then padding.
        packet[12] = 0xbe;
        packet[13] = 0xde;
        packet[15] = 1;
        packet[16] = static_cast<std::uint8_t>(extension_id << 4);
        packet[17] = extension_value;
    }
    for (std::size_t i = 0; i < payload_size; ++i)
        packet[header + i] = static_cast<std::uint8_t>(i * 31);
    return packet;
}

std::string chromium_like_offer(const ice::Credentials& ice, const std::string& fingerprint,
                                std::uint8_t opus, std::uint8_t vp8) {
    const std::string o = std::to_string(opus);
    const std::string v = std::to_string(vp8);
    const std::string r = std::to_string(vp8 + 1);
    std::string text =
        "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
        "a=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS stream\r\n";
    const std::string transport =
        "c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:" + ice.ufrag +
        "\r\na=ice-pwd:" + ice.pwd + "\r\na=ice-options:trickle\r\na=fingerprint:sha-256 " +
        fingerprint + "\r\na=setup:actpass\r\n";
    text += "m=audio 9 UDP/TLS/RTP/SAVPF " + o + " 0\r\n" + transport +
            "a=mid:0\r\n"
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
            "a=sendrecv\r\na=msid:stream audio-track\r\na=rtcp-mux\r\n"
            "a=rtpmap:" +
            o + " opus/48000/2\r\na=rtcp-fb:" + o +
            " transport-cc\r\n"
            "a=fmtp:" +
            o +
            " minptime=10;useinbandfec=1\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=ssrc:1001 cname:peer\r\na=ssrc:1001 msid:stream audio-track\r\n";
    text += "m=video 9 UDP/TLS/RTP/SAVPF " + v + " " + r + "\r\n" + transport +
            "a=mid:1\r\n"
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
            "a=sendrecv\r\na=msid:stream video-track\r\na=rtcp-mux\r\na=rtcp-rsize\r\n"
            "a=rtpmap:" +
            v + " VP8/90000\r\na=rtcp-fb:" + v + " nack\r\na=rtcp-fb:" + v +
            " nack pli\r\na=rtcp-fb:" + v +
            " ccm fir\r\n"
            "a=rtpmap:" +
            r + " rtx/90000\r\na=fmtp:" + r + " apt=" + v +
            "\r\n"
            "a=ssrc-group:FID 2001 2002\r\n"
            "a=ssrc:2001 cname:peer\r\na=ssrc:2002 cname:peer\r\n";
    return text;
}

}  // namespace vg::rtc::testing
