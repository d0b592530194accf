#include "rtc/worker/Worker.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "common/Log.hpp"
#include "rtc/ice/IceLiteAgent.hpp"
#include "rtc/rtp/Demux.hpp"

namespace vg::rtc::worker {
namespace {

// Batches read per wake-up before timers and commands get their turn.
constexpr int max_batches_per_wakeup = 16;

}  // namespace

Worker::Worker(std::size_t index, const net::SocketAddress& bind_address, bool share_port,
               std::shared_ptr<const dtls::DtlsContext> context, MediaListener& listener)
    : index_(index),
      context_(std::move(context)),
      listener_(listener),
      epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)),
      event_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (!epoll_fd_ || !event_fd_)
        throw std::system_error(errno, std::generic_category(), "epoll/eventfd");
    bind(bind_address, share_port);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = socket_->fd();
    ::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, socket_->fd(), &event);
    event.data.fd = event_fd_.get();
    ::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, event_fd_.get(), &event);
    socket_->set_stream_output(tcp_.get());
}

void Worker::bind(const net::SocketAddress& address, bool share_port) {
    // For port 0 the kernel picks a free UDP port without knowing whether that TCP port is
    // free too (loopback clients hold many ephemeral TCP ports): try another.
    for (int attempt = 1;; ++attempt) {
        socket_ = std::make_unique<net::UdpSocket>(address, share_port);
        try {
            tcp_ = std::make_unique<TcpPaths>(socket_->local_address(), share_port, epoll_fd_.get(),
                                              index_, static_cast<TcpPaths::Listener&>(*this));
            return;
        } catch (const std::system_error& error) {
            if (address.port() != 0 || error.code() != std::errc::address_in_use || attempt == 32)
                throw;
        }
    }
}

Worker::~Worker() {
    stop();
    socket_->set_stream_output(nullptr);
    tcp_.reset();
}

void Worker::start() {
    if (running_.exchange(true)) return;
    thread_ = std::thread([this] { run(); });
}

void Worker::stop() {
    {
        std::lock_guard lock(commands_mutex_);
        accepting_ = false;
    }
    if (!running_.exchange(false)) return;
    wake();
    if (thread_.joinable()) thread_.join();
}

bool Worker::post(std::function<void()> command) {
    {
        std::lock_guard lock(commands_mutex_);
        if (!accepting_ || commands_.size() >= command_limit) return false;
        commands_.push_back(std::move(command));
    }
    wake();
    return true;
}

void Worker::run() {
    auto log = common::log::get("room");
    log->debug("worker {} listening on {}", index_, socket_->local_address().to_string());
    auto next_tick = Clock::now();
    epoll_event events[4];
    while (running_.load(std::memory_order_relaxed)) {
        const int ready =
            ::epoll_wait(epoll_fd_.get(), events, 4, static_cast<int>(tick_interval.count()));
        now_ = Clock::now();
        for (int i = 0; i < ready; ++i) {
            if (events[i].data.fd == event_fd_.get()) {
                std::uint64_t count = 0;
                (void)::read(event_fd_.get(), &count, sizeof(count));
                run_commands();
                inbox_.drain(
                    [this](net::UdpSocket::Datagram& datagram) { receive(datagram, now_, true); });
                socket_->flush();
                reap();
            } else if (events[i].data.fd == tcp_->listener_fd()) {
                tcp_->accept(now_);
            } else if (events[i].data.fd != socket_->fd()) {
                tcp_->on_event(events[i].data.fd, events[i].events, now_);
                socket_->flush();
                reap();
            } else {
                for (int batch = 0; batch < max_batches_per_wakeup; ++batch) {
                    auto datagrams = socket_->receive_batch();
                    if (datagrams.empty()) break;
                    for (auto& datagram : datagrams) receive(datagram, now_, false);
                    socket_->flush();
                    wake_siblings();
                    reap();
                }
            }
        }
        if (now_ >= next_tick) {
            tick(now_);
            routes_.forget_idle_forwards(now_);
            next_tick = now_ + tick_interval;
        }
        reap();
        socket_->flush();
    }
    run_commands();
    // Shutting down: release everything, telling only each participant's final quality (its
    // call ends here too); the engine is going away.
    std::vector<std::uint64_t> ids;
    for (const auto& entry : participants_) ids.push_back(entry.first);
    for (const auto id : ids) remove_participant(id, "worker stopped", false);
    socket_->flush();
}

void Worker::run_commands() {
    std::deque<std::function<void()>> batch;
    {
        std::lock_guard lock(commands_mutex_);
        batch.swap(commands_);
    }
    for (auto& command : batch) {
        try {
            command();
        } catch (const std::exception& error) {
            common::log::get("room")->error("worker {} command failed: {}", index_, error.what());
        }
    }
}

void Worker::wake() {
    const std::uint64_t one = 1;
    (void)::write(event_fd_.get(), &one, sizeof(one));
}

void Worker::hand_over(std::size_t owner, const net::UdpSocket::Datagram& datagram) {
    if (owner >= siblings_.size() || siblings_[owner] == nullptr ||
        !siblings_[owner]->inbox_.push({datagram.data, datagram.size}, datagram.from)) {
        ++unrouted_datagrams_;
        return;
    }
    ++handed_over_;
    if (wake_pending_.size() != siblings_.size()) wake_pending_.assign(siblings_.size(), false);
    wake_pending_[owner] = true;
}

void Worker::wake_siblings() {
    for (std::size_t i = 0; i < wake_pending_.size(); ++i)
        if (wake_pending_[i]) {
            wake_pending_[i] = false;
            siblings_[i]->wake();
        }
}

void Worker::receive(net::UdpSocket::Datagram& datagram, Clock::time_point now, bool handed) {
    ++received_datagrams_;
    const std::span<const std::uint8_t> bytes{datagram.data, datagram.size};
    const auto kind = rtp::classify(bytes);
    if (kind == rtp::PacketKind::Stun) {
        const auto ufrag = ice::IceLiteAgent::local_ufrag_of(bytes);
        if (!ufrag) {
            ++unrouted_datagrams_;
            return;
        }
        const std::size_t owner = owner_of_ufrag(*ufrag);
        if (!handed && owner != index_ && owner < siblings_.size()) {
            // The owner validates the request; until then this address is routed to it.
            routes_.forward(datagram.from, owner, now);
            hand_over(owner, datagram);
            return;
        }
        if (room::Participant* participant = routes_.by_ufrag(*ufrag))
            participant->transport().receive_stun(bytes, datagram.from, now);
        else
            ++unrouted_datagrams_;
        return;
    }
    room::Participant* participant = routes_.by_address(datagram.from);
    if (participant == nullptr) {
        const auto owner = handed ? std::nullopt : routes_.forward_of(datagram.from, now);
        if (owner)
            hand_over(*owner, datagram);
        else
            ++unrouted_datagrams_;
        return;
    }
    auto& transport = participant->transport();
    switch (kind) {
        case rtp::PacketKind::Dtls:
            transport.receive_dtls(bytes);
            break;
        case rtp::PacketKind::Rtp:
            transport.receive_rtp(datagram.data, datagram.size);
            break;
        case rtp::PacketKind::Rtcp:
            transport.receive_rtcp(datagram.data, datagram.size);
            break;
        default:
            ++unrouted_datagrams_;
            break;
    }
}

void Worker::tick(Clock::time_point now) {
    for (auto& [id, entry] : participants_) {
        entry.participant->transport().on_tick(now);
        if (const auto* negotiation = entry.participant->negotiation();
            negotiation != nullptr && negotiation->overdue(now))
            doomed_.emplace_back(id, "no answer to the server's offer");
    }
    for (auto& [id, room] : rooms_) room->on_tick(now);
    tcp_->on_tick(now);
}

void Worker::reap() {
    while (!doomed_.empty()) {
        auto [id, reason] = std::move(doomed_.back());
        doomed_.pop_back();
        remove_participant(id, reason, true);
    }
}

void Worker::add_participant(ParticipantSpec spec) {
    const std::uint64_t id = spec.transport.id;
    if (participants_.contains(id)) throw std::runtime_error("participant id already in use");
    if (routes_.has_ufrag(spec.transport.local_ice.ufrag))
        throw std::runtime_error("ICE ufrag already in use");
    auto transport = std::make_unique<transport::WebRtcTransport>(
        *context_, std::move(spec.transport),
        static_cast<transport::WebRtcTransport::Listener&>(*this), Clock::now());
    if (const auto existing = rooms_.find(spec.room_id);
        existing != rooms_.end() && existing->second->size() >= max_participants_per_room)
        throw std::runtime_error("call session full");
    auto& room = rooms_[spec.room_id];
    if (!room) room = std::make_unique<room::Room>(spec.room_id, *socket_);
    auto& participant = room->add(std::make_unique<room::Participant>(
        id, spec.room_id, std::move(spec.role), std::move(spec.media), std::move(transport),
        std::move(spec.negotiation)));
    participants_[id] = {&participant, room.get()};
    routes_.add_ufrag(participant.transport().local_ufrag(), participant);
    common::log::get("room")->info("participant {} ({}) joined call session {} on worker {}", id,
                                   participant.role(), participant.room_id(), index_);
    publish(room->renegotiate());
}

void Worker::renegotiate(std::uint64_t participant_id) {
    const auto found = participants_.find(participant_id);
    if (found == participants_.end()) return;
    if (auto* negotiation = found->second.participant->negotiation()) negotiation->open = true;
    publish(found->second.room->renegotiate());
}

bool Worker::accept_answer(std::uint64_t participant_id, std::string_view answer_sdp,
                           std::string& error) {
    const auto found = participants_.find(participant_id);
    if (found == participants_.end()) {
        error = "no such participant";
        return false;
    }
    return found->second.room->accept_answer(*found->second.participant, answer_sdp, error);
}

std::optional<std::string> Worker::restart_ice(std::uint64_t participant_id,
                                               std::string_view offer_sdp, std::string& error) {
    const auto found = participants_.find(participant_id);
    if (found == participants_.end()) {
        error = "no such participant";
        return std::nullopt;
    }
    auto& participant = *found->second.participant;
    auto* negotiation = participant.negotiation();
    if (negotiation == nullptr) {
        error = "this participant does not negotiate";
        return std::nullopt;
    }
    auto local = ice::IceLiteAgent::random_credentials();
    mark_ufrag(local.ufrag, index_);
    if (routes_.has_ufrag(local.ufrag)) {
        error = "ICE ufrag already in use";
        return std::nullopt;
    }
    ice::Credentials remote;
    auto answer = negotiation->restart_ice(offer_sdp, local, remote, &error);
    if (!answer) return std::nullopt;
    auto& transport = participant.transport();
    if (!transport.retired_ufrag().empty()) routes_.remove_ufrag(transport.retired_ufrag());
    transport.restart_ice(local, std::move(remote), Clock::now());
    routes_.add_ufrag(local.ufrag, participant);
    return answer;
}

void Worker::publish(std::vector<room::Room::Offer> offers) {
    for (auto& offer : offers) listener_.on_offer(offer.participant_id, std::move(offer.sdp));
}

bool Worker::remove_participant(std::uint64_t participant_id, std::string_view reason,
                                bool notify) {
    const auto found = participants_.find(participant_id);
    if (found == participants_.end()) return false;
    room::Participant* participant = found->second.participant;
    // close_notify goes out while the routes still exist.
    participant->transport().close();
    socket_->flush();
    routes_.remove_ufrag(participant->transport().local_ufrag());
    routes_.remove_ufrag(participant->transport().retired_ufrag());
    routes_.remove_addresses(*participant, [&](const net::SocketAddress& address) {
        if (address.is_tcp()) tcp_->close(address);
    });
    participants_.erase(found);
    const std::string room_id = participant->room_id();
    const auto room = rooms_.find(room_id);
    std::unique_ptr<room::Participant> released;
    if (room != rooms_.end()) {
        released = room->second->remove(participant_id);
        if (room->second->empty())
            rooms_.erase(room);
        else if (notify)
            publish(room->second->renegotiate());
    }
    common::log::get("room")->info("participant {} left call session {}: {}", participant_id,
                                   room_id, reason);
    if (released) {
        const auto summary = released->summary(Clock::now());
        departed_quality_.add_counters(summary);
        departed_chat_dropped_ += released->chat_messages_dropped;
        listener_.on_participant_quality(summary);
    }
    if (notify) listener_.on_participant_closed(participant_id, reason);
    return true;
}

Worker::Stats Worker::stats() const {
    Stats stats;
    stats.rooms = rooms_.size();
    stats.participants = participants_.size();
    stats.routes = routes_.size();
    stats.received_datagrams = received_datagrams_;
    stats.handed_over = handed_over_;
    stats.dropped_datagrams = unrouted_datagrams_;
    stats.tcp = tcp_->stats();
    stats.quality = departed_quality_;
    stats.chat_messages_dropped = departed_chat_dropped_;
    const auto now = Clock::now();
    for (const auto& [id, entry] : participants_) {
        stats.forwarded_packets += entry.participant->forwarded_packets;
        stats.chat_messages_dropped += entry.participant->chat_messages_dropped;
        stats.dropped_datagrams += entry.participant->transport().dropped_packets();
        const auto present = entry.participant->quality().summary(now);
        stats.quality.add_present(present);
        if (present.rtt_ms > 0) ++stats.rtt_participants;
    }
    return stats;
}

const Worker::Entry* Worker::entry_of(const transport::WebRtcTransport& transport) const {
    const auto found = participants_.find(transport.id());
    return found == participants_.end() ? nullptr : &found->second;
}

void Worker::on_transport_send(transport::WebRtcTransport&, std::span<const std::uint8_t> datagram,
                               const net::SocketAddress& to) {
    socket_->send(datagram, to);
}

void Worker::on_transport_address(transport::WebRtcTransport& transport,
                                  const net::SocketAddress& address) {
    const Entry* entry = entry_of(transport);
    if (entry == nullptr || !routes_.add_address(address, *entry->participant)) return;
    if (address.is_tcp()) tcp_->authenticate(address);
}

void Worker::on_transport_connected(transport::WebRtcTransport& transport) {
    const Entry* entry = entry_of(transport);
    if (entry == nullptr) return;
    entry->room->on_connected(*entry->participant, now_);
    listener_.on_participant_connected(entry->participant->id());
}

void Worker::on_transport_failed(transport::WebRtcTransport& transport, std::string_view reason) {
    doomed_.emplace_back(transport.id(), std::string(reason));
}

void Worker::on_transport_rtp(transport::WebRtcTransport& transport, rtp::RtpPacket& packet) {
    if (const Entry* entry = entry_of(transport))
        entry->room->forward_rtp(*entry->participant, packet, now_);
}

void Worker::on_transport_rtcp(transport::WebRtcTransport& transport,
                               std::span<std::uint8_t> compound) {
    if (const Entry* entry = entry_of(transport))
        entry->room->on_rtcp(*entry->participant, compound, now_);
}

void Worker::on_transport_application_data(transport::WebRtcTransport& transport,
                                           std::span<const std::uint8_t> data) {
    if (const Entry* entry = entry_of(transport))
        entry->room->on_data(*entry->participant, data, now_);
}

std::size_t Worker::owner_of_frame(std::span<const std::uint8_t> frame) {
    const auto ufrag = ice::IceLiteAgent::local_ufrag_of(frame);
    const std::size_t owner = ufrag ? owner_of_ufrag(*ufrag) : max_workers;
    return owner < siblings_.size() && siblings_[owner] != nullptr ? owner : index_;
}

bool Worker::hand_over_connection(std::size_t owner,
                                  std::unique_ptr<net::TcpConnection> connection) {
    Worker* target = siblings_[owner];
    // std::function needs a copyable callable; the connection is closed if the post fails.
    auto moving = std::make_shared<std::unique_ptr<net::TcpConnection>>(std::move(connection));
    return target->post(
        [target, moving] { target->tcp_->adopt(std::move(*moving), target->now_); });
}

void Worker::on_tcp_frame(std::span<std::uint8_t> frame, const net::SocketAddress& from) {
    net::UdpSocket::Datagram datagram{frame.data(), frame.size(), from};
    // The connection already lives on its owner: nothing to hand over.
    receive(datagram, now_, true);
}

void Worker::on_tcp_closed(const net::SocketAddress& remote) {
    routes_.remove_address(remote);
}

}  // namespace vg::rtc::worker
