#pragma once
// One media worker: one thread, one event loop (epoll), one UDP socket, the call sessions pinned
// to it and everything they hold. Nothing here is shared with another thread except the command
// queue: the packet path takes no lock and allocates nothing.
//
// Each worker owns its own UDP port. A call session lives on one worker, and every participant
// of it is told that worker's port in its SDP candidate, so every datagram of a call reaches
// the thread that owns it without any hand-over between workers (mediasoup does the same).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "rtc/dtls/DtlsContext.hpp"
#include "rtc/net/UdpSocket.hpp"
#include "rtc/room/Room.hpp"
#include "rtc/transport/WebRtcTransport.hpp"

namespace vg::rtc::worker {

class Worker final : private transport::WebRtcTransport::Listener {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t command_limit = 1024;
    // A call session is a booth and an agent, perhaps an interpreter or a supervisor.
    static constexpr std::size_t max_participants_per_room = 8;
    static constexpr auto tick_interval = std::chrono::milliseconds(20);

    // Called on the worker's thread.
    class Listener {
      public:
        virtual ~Listener() = default;
        virtual void on_participant_connected(std::uint64_t participant_id) = 0;
        // Left by command, DTLS failure, or ICE consent expiry; everything it held is released.
        virtual void on_participant_closed(std::uint64_t participant_id,
                                           std::string_view reason) = 0;
    };

    struct ParticipantSpec {
        std::string room_id;
        std::string role;
        room::MediaSettings media;
        transport::WebRtcTransport::Options transport;  // transport.id is the participant id
    };

    struct Stats {
        std::size_t rooms = 0;
        std::size_t participants = 0;
        std::size_t routes = 0;  // ufrag and address entries
        std::uint64_t forwarded_packets = 0;
        std::uint64_t received_datagrams = 0;
    };

    // Binds the socket (throws std::system_error); the thread starts with start().
    Worker(std::size_t index, const net::SocketAddress& bind_address,
           std::shared_ptr<const dtls::DtlsContext> context, Listener& listener);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void start();
    // Closes every participant (without events) and joins the thread.
    void stop();

    std::size_t index() const { return index_; }
    const net::SocketAddress& local_address() const { return socket_.local_address(); }

    // Runs command on the worker's thread. Thread-safe; false when the queue is full or the
    // worker stopped (the command is then dropped).
    bool post(std::function<void()> command);

    // Worker thread only (from a posted command). add_participant throws std::runtime_error
    // when the transport cannot be made or the ufrag is taken.
    void add_participant(ParticipantSpec spec);
    // False when unknown. notify: whether the Listener hears of it.
    bool remove_participant(std::uint64_t participant_id, std::string_view reason, bool notify);
    Stats stats() const;

  private:
    struct TransparentHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const {
            return std::hash<std::string_view>{}(text);
        }
    };
    using UfragTable =
        std::unordered_map<std::string, room::Participant*, TransparentHash, std::equal_to<>>;

    void run();
    void run_commands();
    void receive(net::UdpSocket::Datagram& datagram, Clock::time_point now);
    void tick(Clock::time_point now);
    void reap();
    struct Entry {
        room::Participant* participant;
        room::Room* room;
    };
    const Entry* entry_of(const transport::WebRtcTransport& transport) const;

    void on_transport_send(transport::WebRtcTransport& transport,
                           std::span<const std::uint8_t> datagram,
                           const net::SocketAddress& to) override;
    void on_transport_address(transport::WebRtcTransport& transport,
                              const net::SocketAddress& address) override;
    void on_transport_connected(transport::WebRtcTransport& transport) override;
    void on_transport_failed(transport::WebRtcTransport& transport,
                             std::string_view reason) override;
    void on_transport_rtp(transport::WebRtcTransport& transport, rtp::RtpPacket& packet) override;
    void on_transport_rtcp(transport::WebRtcTransport& transport,
                           std::span<std::uint8_t> compound) override;

    std::size_t index_;
    std::shared_ptr<const dtls::DtlsContext> context_;
    Listener& listener_;
    net::UdpSocket socket_;
    int epoll_fd_ = -1;
    int event_fd_ = -1;
    std::thread thread_;
    std::atomic<bool> running_{false};

    std::mutex commands_mutex_;
    std::deque<std::function<void()>> commands_;
    bool accepting_ = true;

    // Worker thread only from here on.
    Clock::time_point now_{};
    std::unordered_map<std::string, std::unique_ptr<room::Room>> rooms_;
    std::unordered_map<std::uint64_t, Entry> participants_;
    UfragTable by_ufrag_;
    std::unordered_map<net::SocketAddress, room::Participant*> by_address_;
    // Failed participants, removed after the current batch: never from inside a callback.
    std::vector<std::pair<std::uint64_t, std::string>> doomed_;
    std::uint64_t received_datagrams_ = 0;
    std::uint64_t unrouted_datagrams_ = 0;
};

}  // namespace vg::rtc::worker
