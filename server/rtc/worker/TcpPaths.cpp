#include "rtc/worker/TcpPaths.hpp"

#include <sys/epoll.h>

#include <algorithm>
#include <cstring>

#include "common/Log.hpp"

namespace vg::rtc::worker {
namespace {

// Reads per readiness event and connections per accept event before the loop serves others
// (epoll is level-triggered: what is left wakes it again).
constexpr int max_reads_per_event = 8;
constexpr int max_accepts_per_event = 32;

// The key of an address's count: its IP, whatever the port.
net::SocketAddress ip_of(const net::SocketAddress& remote) {
    net::SocketAddress ip = remote;
    ip.set_port(0);
    return ip;
}

}  // namespace

TcpPaths::TcpPaths(const net::SocketAddress& address, bool share_port, int epoll_fd,
                   std::size_t worker_index, Listener& listener)
    : socket_(address, share_port),
      epoll_fd_(epoll_fd),
      worker_index_(worker_index),
      listener_(listener) {
    connections_.reserve(max_connections);
    unauthenticated_by_ip_.reserve(max_unauthenticated);
    flush_list_.reserve(max_connections);
    closing_.reserve(max_connections);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = socket_.fd();
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, socket_.fd(), &event);
}

TcpPaths::~TcpPaths() = default;

void TcpPaths::accept(Clock::time_point now) {
    for (int i = 0; i < max_accepts_per_event; ++i) {
        auto connection = socket_.accept();
        if (!connection) return;
        // Refused: closed as it goes out of scope.
        if (admit(connection->remote())) add(std::move(connection), now, false);
    }
}

bool TcpPaths::admit(const net::SocketAddress& remote) {
    if (connections_.size() >= max_connections || unauthenticated_ >= max_unauthenticated) {
        ++refused_;
        return false;
    }
    const auto same_ip = unauthenticated_by_ip_.find(ip_of(remote));
    if (same_ip != unauthenticated_by_ip_.end() &&
        same_ip->second >= max_unauthenticated_per_address) {
        ++refused_;
        ++refused_per_address_;
        return false;
    }
    return true;
}

void TcpPaths::adopt(std::unique_ptr<net::TcpConnection> connection, Clock::time_point now) {
    if (!admit(connection->remote())) return;
    const int fd = connection->fd();
    add(std::move(connection), now, true);
    // Its first frames were read by the sibling: no readiness event will announce them.
    deliver(connections_.at(fd));
}

void TcpPaths::add(std::unique_ptr<net::TcpConnection> connection, Clock::time_point now,
                   bool owner_known) {
    const int fd = connection->fd();
    const auto remote = connection->remote();
    if (const auto existing = by_address_.find(remote); existing != by_address_.end())
        remove(existing->second->connection->fd(), true);
    Path& path = connections_[fd];
    path.connection = std::move(connection);
    path.remote = remote;
    path.opened = now;
    path.last_read = now;
    path.owner_known = owner_known;
    by_address_[remote] = &path;
    ++unauthenticated_;
    ++unauthenticated_by_ip_[ip_of(remote)];
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
}

void TcpPaths::on_event(int fd, std::uint32_t events, Clock::time_point now) {
    const auto found = connections_.find(fd);
    if (found == connections_.end()) return;
    Path& path = found->second;
    if ((events & EPOLLOUT) != 0) {
        if (!path.connection->flush()) return remove(fd, true);
        if (!path.connection->has_queued()) watch(path, false);
    }
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) == 0) return;
    for (int i = 0; i < max_reads_per_event; ++i) {
        const auto result = path.connection->read();
        if (result == net::TcpConnection::ReadResult::Closed) return remove(fd, true);
        if (result == net::TcpConnection::ReadResult::Empty) return;
        path.last_read = now;
        if (!deliver(path)) return;
    }
}

bool TcpPaths::deliver(Path& path) {
    net::TcpConnection& connection = *path.connection;
    if (!path.owner_known) {
        const auto first = connection.peek_frame();
        if (!first) return true;
        path.owner_known = true;
        const std::size_t owner = listener_.owner_of_frame(*first);
        if (owner != worker_index_) {
            auto moving = std::move(path.connection);
            remove(moving->fd(), false);
            if (listener_.hand_over_connection(owner, std::move(moving))) ++handed_over_;
            return false;
        }
    }
    while (const auto frame = connection.next_frame()) {
        std::memcpy(frame_.data(), frame->data(), frame->size());
        listener_.on_tcp_frame({frame_.data(), frame->size()}, path.remote);
    }
    return true;
}

void TcpPaths::authenticate(const net::SocketAddress& remote) {
    const auto found = by_address_.find(remote);
    if (found == by_address_.end() || found->second->authenticated) return;
    count_authenticated(*found->second);
    found->second->authenticated = true;
}

void TcpPaths::count_authenticated(const Path& path) {
    if (path.authenticated) return;
    --unauthenticated_;
    const auto same_ip = unauthenticated_by_ip_.find(ip_of(path.remote));
    if (same_ip != unauthenticated_by_ip_.end() && --same_ip->second == 0)
        unauthenticated_by_ip_.erase(same_ip);
}

void TcpPaths::close(const net::SocketAddress& remote) {
    const auto found = by_address_.find(remote);
    if (found != by_address_.end()) remove(found->second->connection->fd(), false);
}

void TcpPaths::remove(int fd, bool notify) {
    const auto found = connections_.find(fd);
    if (found == connections_.end()) return;
    Path& path = found->second;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    if (path.queued) std::erase(flush_list_, &path);
    count_authenticated(path);
    if (path.connection) dropped_frames_ += path.connection->dropped();
    const auto remote = path.remote;
    if (const auto route = by_address_.find(remote);
        route != by_address_.end() && route->second == &path)
        by_address_.erase(route);
    connections_.erase(found);
    if (notify) listener_.on_tcp_closed(remote);
}

void TcpPaths::watch(Path& path, bool writable) {
    if (path.waiting_writable == writable) return;
    path.waiting_writable = writable;
    epoll_event event{};
    event.events = EPOLLIN | (writable ? EPOLLOUT : 0U);
    event.data.fd = path.connection->fd();
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, path.connection->fd(), &event);
}

void TcpPaths::send_stream(std::span<const std::uint8_t> datagram, const net::SocketAddress& to) {
    const auto found = by_address_.find(to);
    if (found == by_address_.end()) {
        ++dropped_frames_;
        return;
    }
    Path& path = *found->second;
    if (!path.connection->send(datagram)) return;
    if (!path.queued && !path.waiting_writable) {
        path.queued = true;
        flush_list_.push_back(&path);
    }
}

void TcpPaths::flush_streams() {
    if (flush_list_.empty()) return;
    closing_.clear();
    for (Path* path : flush_list_) {
        path->queued = false;
        if (!path->connection->flush())
            closing_.push_back(path->connection->fd());
        else if (path->connection->has_queued())
            watch(*path, true);
    }
    flush_list_.clear();
    for (const int fd : closing_) remove(fd, true);
}

void TcpPaths::on_tick(Clock::time_point now) {
    if (now < next_check_) return;
    next_check_ = now + std::chrono::seconds(1);
    closing_.clear();
    for (const auto& [fd, path] : connections_)
        if ((!path.authenticated && now - path.opened > first_message_timeout) ||
            now - path.last_read > idle_timeout)
            closing_.push_back(fd);
    timed_out_ += closing_.size();
    for (const int fd : closing_) {
        common::log::get("ice")->debug("ICE-TCP connection from {} closed: silent",
                                       connections_.at(fd).remote.to_string());
        remove(fd, true);
    }
}

TcpPaths::Stats TcpPaths::stats() const {
    Stats stats;
    stats.connections = connections_.size();
    stats.unauthenticated = unauthenticated_;
    stats.refused = refused_;
    stats.refused_per_address = refused_per_address_;
    stats.handed_over = handed_over_;
    stats.timed_out = timed_out_;
    stats.dropped_frames = dropped_frames_;
    for (const auto& [fd, path] : connections_) stats.dropped_frames += path.connection->dropped();
    return stats;
}

}  // namespace vg::rtc::worker
