#include "rtc/sctp/SctpAssociation.hpp"

#include <arpa/inet.h>
#include <usrsctp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/Log.hpp"

namespace vg::rtc::sctp {
namespace {

// Streams we offer and accept; a channel needs one, and browsers open few.
constexpr std::uint16_t stream_count = 1024;
// SCTP packets must fit one DTLS record in one 1200-byte datagram, whatever the cipher suite.
constexpr std::uint32_t path_mtu = 1130;

sockaddr_conn conn_address(UsrSctpLibrary::Route route, std::uint16_t port) {
    sockaddr_conn address{};
    address.sconn_family = AF_CONN;
    address.sconn_port = htons(port);
    address.sconn_addr = reinterpret_cast<void*>(route);
    return address;
}

template <typename Value>
bool set_option(struct socket* socket, int level, int name, const Value& value) {
    return usrsctp_setsockopt(socket, level, name, &value, sizeof(value)) == 0;
}

}  // namespace

SctpAssociation::SctpAssociation(Options options, Listener& listener)
    : id_(options.id),
      options_(options),
      listener_(listener),
      route_(UsrSctpLibrary::open_route()),
      next_stream_(options.dtls_client ? 0 : 1) {
    socket_ = UsrSctpLibrary::make_socket(route_);
    try {
        if (socket_ == nullptr) throw std::runtime_error("usrsctp_socket failed");
        configure();
    } catch (...) {
        if (socket_ != nullptr) usrsctp_close(socket_);
        UsrSctpLibrary::close_route(route_);
        throw;
    }
}

SctpAssociation::~SctpAssociation() {
    // With SO_LINGER zero this aborts the association; the ABORT is not sent (the owner is
    // going away, and DTLS close_notify tells the browser).
    usrsctp_close(socket_);
    UsrSctpLibrary::close_route(route_);
}

void SctpAssociation::configure() {
    if (usrsctp_set_non_blocking(socket_, 1) != 0)
        throw std::runtime_error("usrsctp_set_non_blocking failed");
    const linger abort_on_close{1, 0};
    sctp_assoc_value reset{};
    reset.assoc_id = SCTP_FUTURE_ASSOC;
    reset.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ;
    const int on = 1;
    sctp_initmsg init{};
    init.sinit_num_ostreams = stream_count;
    init.sinit_max_instreams = stream_count;
    const int send_buffer = static_cast<int>(options_.send_buffer);
    const int receive_buffer = static_cast<int>(std::max<std::size_t>(
        4 * options_.max_message_size, static_cast<std::size_t>(send_buffer)));
    bool ok = set_option(socket_, SOL_SOCKET, SO_LINGER, abort_on_close) &&
              set_option(socket_, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, reset) &&
              set_option(socket_, IPPROTO_SCTP, SCTP_NODELAY, on) &&
              set_option(socket_, IPPROTO_SCTP, SCTP_RECVRCVINFO, on) &&
              set_option(socket_, IPPROTO_SCTP, SCTP_INITMSG, init) &&
              set_option(socket_, SOL_SOCKET, SO_SNDBUF, send_buffer) &&
              set_option(socket_, SOL_SOCKET, SO_RCVBUF, receive_buffer);
    for (const std::uint16_t type :
         {SCTP_ASSOC_CHANGE, SCTP_STREAM_RESET_EVENT, SCTP_SEND_FAILED_EVENT, SCTP_REMOTE_ERROR,
          SCTP_SHUTDOWN_EVENT}) {
        sctp_event event{};
        event.se_assoc_id = SCTP_FUTURE_ASSOC;
        event.se_on = 1;
        event.se_type = type;
        ok = ok && set_option(socket_, IPPROTO_SCTP, SCTP_EVENT, event);
    }
    if (!ok) throw std::runtime_error("usrsctp_setsockopt failed");
    auto local = conn_address(route_, options_.port);
    if (usrsctp_bind(socket_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0)
        throw std::runtime_error("usrsctp_bind failed");
}

void SctpAssociation::connect() {
    if (state_ != State::New) return;
    state_ = State::Connecting;
    auto remote = conn_address(route_, options_.port);
    if (usrsctp_connect(socket_, reinterpret_cast<sockaddr*>(&remote), sizeof(remote)) != 0 &&
        errno != EINPROGRESS) {
        close("usrsctp_connect failed");
        return;
    }
    // Path MTU discovery would probe with packets DTLS cannot carry.
    sctp_paddrparams parameters{};
    std::memcpy(&parameters.spp_address, &remote, sizeof(remote));
    parameters.spp_flags = SPP_PMTUD_DISABLE;
    parameters.spp_pathmtu = path_mtu;
    if (!set_option(socket_, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, parameters))
        common::log::get("sctp")->warn("participant {}: SCTP path MTU not set", id_);
    process();
}

void SctpAssociation::receive(std::span<const std::uint8_t> packet) {
    if (state_ == State::Closed || packet.empty()) return;
    if (state_ == State::New) connect();
    usrsctp_conninput(reinterpret_cast<void*>(route_), packet.data(), packet.size(), 0);
    process();
}

void SctpAssociation::on_tick() {
    UsrSctpLibrary::handle_timers();
    process();
}

bool SctpAssociation::send(std::string_view label, MessageType type,
                           std::span<const std::uint8_t> payload) {
    Channel* channel = nullptr;
    if (state_ == State::Connected && payload.size() <= options_.max_message_size) {
        for (auto& candidate : channels_)
            if (candidate.label == label) {
                channel = &candidate;
                break;
            }
        if (channel == nullptr) channel = open_channel(label);
    }
    bool sent = false;
    if (channel != nullptr) {
        static constexpr std::uint8_t filler[1] = {0};
        const bool text = type == MessageType::Text;
        if (payload.empty())
            sent = send_raw(channel->stream, text ? Ppid::StringEmpty : Ppid::BinaryEmpty,
                            channel->unordered, filler);
        else
            sent = send_raw(channel->stream, text ? Ppid::String : Ppid::Binary, channel->unordered,
                            payload);
    }
    if (!sent) ++dropped_;
    process();
    return sent;
}

bool SctpAssociation::send_text(std::string_view label, std::string_view text) {
    return send(label, MessageType::Text,
                {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

const SctpAssociation::Channel* SctpAssociation::find(std::string_view label) const {
    for (const auto& channel : channels_)
        if (channel.label == label) return &channel;
    return nullptr;
}

SctpAssociation::Channel* SctpAssociation::channel_on(std::uint16_t stream) {
    for (auto& channel : channels_)
        if (channel.stream == stream) return &channel;
    return nullptr;
}

SctpAssociation::Channel* SctpAssociation::open_channel(std::string_view label) {
    if (channels_.size() >= options_.max_channels) return nullptr;
    for (std::uint32_t stream = next_stream_; stream < outbound_streams_; stream += 2) {
        const auto id = static_cast<std::uint16_t>(stream);
        if (channel_on(id) != nullptr) continue;
        const auto open = DcepMessage::open(std::string(label)).serialize();
        if (!send_raw(id, Ppid::Dcep, false, open)) return nullptr;
        next_stream_ = static_cast<std::uint16_t>(stream + 2);
        channels_.push_back(Channel{id, std::string(label), {}, false, true});
        common::log::get("sctp")->info("participant {}: opened data channel '{}' on stream {}", id_,
                                       label, id);
        return &channels_.back();
    }
    return nullptr;
}

bool SctpAssociation::send_raw(std::uint16_t stream, Ppid ppid, bool unordered,
                               std::span<const std::uint8_t> payload) {
    sctp_sendv_spa info{};
    info.sendv_flags = SCTP_SEND_SNDINFO_VALID;
    info.sendv_sndinfo.snd_sid = stream;
    info.sendv_sndinfo.snd_ppid = htonl(static_cast<std::uint32_t>(ppid));
    info.sendv_sndinfo.snd_flags = SCTP_EOR | (unordered ? SCTP_UNORDERED : 0);
    return usrsctp_sendv(socket_, payload.data(), payload.size(), nullptr, 0, &info, sizeof(info),
                         SCTP_SENDV_SPA, 0) >= 0;
}

void SctpAssociation::process() {
    // A Listener callback that sends (a relay) lands here again: the outer loop picks up what
    // it queued, in order.
    if (processing_) return;
    processing_ = true;
    while (UsrSctpLibrary::take(route_, events_))
        for (auto& event : events_) on_event(event);
    processing_ = false;
}

void SctpAssociation::on_event(UsrSctpLibrary::Event& event) {
    using Kind = UsrSctpLibrary::Event::Kind;
    switch (event.kind) {
        case Kind::Packet:
            listener_.on_sctp_send(*this, event.bytes);
            return;
        case Kind::Notification:
            on_notification(event.bytes);
            return;
        case Kind::Closed:
            close("closed by the peer");
            return;
        case Kind::Data:
            break;
    }
    if (state_ == State::Closed) return;
    const std::size_t limit = options_.max_message_size;
    if (event.end_of_message && partial_.empty() && !partial_too_large_) {
        if (event.bytes.size() <= limit)
            on_data(event.stream, event.ppid, event.bytes);
        else
            ++dropped_;
        return;
    }
    // usrsctp hands a large message over in pieces; without I-DATA they do not interleave.
    if (partial_too_large_ || partial_.size() + event.bytes.size() > limit) {
        partial_too_large_ = true;
        partial_.clear();
    } else {
        partial_.insert(partial_.end(), event.bytes.begin(), event.bytes.end());
    }
    if (!event.end_of_message) return;
    if (partial_too_large_)
        ++dropped_;
    else
        on_data(event.stream, event.ppid, partial_);
    partial_.clear();
    partial_too_large_ = false;
}

void SctpAssociation::on_data(std::uint16_t stream, std::uint32_t ppid,
                              std::span<const std::uint8_t> bytes) {
    MessageType type = MessageType::Text;
    switch (static_cast<Ppid>(ppid)) {
        case Ppid::Dcep:
            on_dcep(stream, bytes);
            return;
        case Ppid::String:
            break;
        case Ppid::StringEmpty:
            bytes = {};
            break;
        case Ppid::Binary:
            type = MessageType::Binary;
            break;
        case Ppid::BinaryEmpty:
            type = MessageType::Binary;
            bytes = {};
            break;
        default:  // the deprecated partial messages (52, 54) and anything unknown
            ++dropped_;
            return;
    }
    const Channel* channel = channel_on(stream);
    if (channel == nullptr) {
        ++dropped_;
        return;
    }
    // A copy: the Listener may open channels on this association, which moves channels_.
    const Channel copy = *channel;
    listener_.on_sctp_message(*this, copy, type, bytes);
}

void SctpAssociation::on_dcep(std::uint16_t stream, std::span<const std::uint8_t> bytes) {
    const auto message = DcepMessage::parse(bytes);
    if (!message) {
        ++dropped_;
        return;
    }
    if (message->type == DcepMessage::Type::Ack) return;  // we send ordered until then anyway
    auto log = common::log::get("sctp");
    // The peer opens on the other parity than ours (RFC 8832 section 6); anything else, a
    // second OPEN on a stream or one channel too many, is refused by resetting the stream.
    const bool our_parity = (stream % 2 == 0) == options_.dtls_client;
    if (our_parity || channel_on(stream) != nullptr || channels_.size() >= options_.max_channels) {
        log->info("participant {}: refused data channel '{}' on stream {}", id_,
                  message->label.substr(0, 64), stream);
        ++dropped_;
        const std::uint16_t streams[1] = {stream};
        reset_outgoing(streams);
        return;
    }
    channels_.push_back(
        Channel{stream, message->label, message->protocol, message->unordered(), false});
    if (!send_raw(stream, Ppid::Dcep, false, DcepMessage::ack().serialize()))
        log->warn("participant {}: DATA_CHANNEL_ACK not sent on stream {}", id_, stream);
    log->info("participant {}: data channel '{}' opened on stream {}", id_,
              message->label.substr(0, 64), stream);
}

void SctpAssociation::on_notification(std::span<const std::uint8_t> bytes) {
    sctp_notification notification{};
    if (bytes.size() < sizeof(notification.sn_header)) return;
    std::memcpy(&notification, bytes.data(), std::min(bytes.size(), sizeof(notification)));
    switch (notification.sn_header.sn_type) {
        case SCTP_ASSOC_CHANGE: {
            const auto& change = notification.sn_assoc_change;
            if (change.sac_state == SCTP_COMM_UP || change.sac_state == SCTP_RESTART) {
                if (state_ == State::Closed) return;
                state_ = State::Connected;
                outbound_streams_ = change.sac_outbound_streams;
                common::log::get("sctp")->info(
                    "participant {}: SCTP association up ({} streams out, {} in)", id_,
                    change.sac_outbound_streams, change.sac_inbound_streams);
            } else if (change.sac_state == SCTP_COMM_LOST ||
                       change.sac_state == SCTP_SHUTDOWN_COMP ||
                       change.sac_state == SCTP_CANT_STR_ASSOC) {
                close("SCTP association lost");
            }
            return;
        }
        case SCTP_SHUTDOWN_EVENT:
            close("SCTP shutdown by the peer");
            return;
        case SCTP_SEND_FAILED_EVENT:
            ++dropped_;
            return;
        case SCTP_STREAM_RESET_EVENT: {
            const auto& reset = notification.sn_strreset_event;
            if ((reset.strreset_flags & SCTP_STREAM_RESET_INCOMING_SSN) == 0 ||
                (reset.strreset_flags & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED)) != 0)
                return;
            const std::size_t header = sizeof(sctp_stream_reset_event);
            const std::size_t length = std::min<std::size_t>(reset.strreset_length, bytes.size());
            std::vector<std::uint16_t> streams((length > header ? length - header : 0) / 2);
            std::memcpy(streams.data(), bytes.data() + header, streams.size() * 2);
            on_streams_reset(streams);
            return;
        }
        default:
            return;
    }
}

void SctpAssociation::on_streams_reset(std::span<const std::uint16_t> streams) {
    // The peer closed these channels (RFC 8831 section 6.7): we close our side of each.
    std::vector<std::uint16_t> closing;
    for (const std::uint16_t stream : streams) {
        const auto found = std::find_if(channels_.begin(), channels_.end(),
                                        [&](const Channel& c) { return c.stream == stream; });
        if (found == channels_.end()) continue;
        common::log::get("sctp")->info("participant {}: data channel '{}' closed", id_,
                                       found->label.substr(0, 64));
        channels_.erase(found);
        closing.push_back(stream);
    }
    if (!closing.empty()) reset_outgoing(closing);
}

void SctpAssociation::reset_outgoing(std::span<const std::uint16_t> streams) {
    const std::size_t size = sizeof(sctp_reset_streams) + streams.size() * sizeof(std::uint16_t);
    std::vector<std::uint32_t> storage((size + 3) / 4);
    auto* request = reinterpret_cast<sctp_reset_streams*>(storage.data());
    request->srs_assoc_id = SCTP_ALL_ASSOC;
    request->srs_flags = SCTP_STREAM_RESET_OUTGOING;
    request->srs_number_streams = static_cast<std::uint16_t>(streams.size());
    std::memcpy(reinterpret_cast<std::uint8_t*>(storage.data()) + sizeof(sctp_reset_streams),
                streams.data(), streams.size() * sizeof(std::uint16_t));
    if (usrsctp_setsockopt(socket_, IPPROTO_SCTP, SCTP_RESET_STREAMS, storage.data(),
                           static_cast<socklen_t>(size)) != 0)
        common::log::get("sctp")->debug("participant {}: stream reset refused", id_);
}

void SctpAssociation::close(std::string_view reason) {
    if (state_ == State::Closed) return;
    state_ = State::Closed;
    channels_.clear();
    common::log::get("sctp")->info("participant {}: data channels closed: {}", id_, reason);
}

}  // namespace vg::rtc::sctp
