#pragma once
// One media worker: one thread, one event loop (epoll), one UDP socket, the call sessions pinned
// to it and everything they hold. Nothing here is shared with another thread except the command
// queue and the hand-over queue: the packet path takes no lock and allocates nothing.
//
// All workers' sockets share one port (SO_REUSEPORT); the kernel picks a socket by hashing the
// remote address, so a datagram may reach a worker that does not own its participant. STUN
// names its owner in the ICE ufrag (first character: the worker index, see mark_ufrag); the
// receiving worker then remembers that remote address's owner and hands that address's
// datagrams over through the owner's bounded lock-free queue. Answers always leave from the
// owner's socket, which has the same local address and port.
//
// The same port number also takes ICE-TCP connections (TcpPaths): one that reaches the wrong
// worker moves to the owner once, as a whole; its frames then route like datagrams, by remote
// address (protocol Tcp), and whatever is sent to that address goes out framed on it.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "rtc/MediaListener.hpp"
#include "rtc/QualitySummary.hpp"
#include "rtc/dtls/DtlsContext.hpp"
#include "rtc/net/FileDescriptor.hpp"
#include "rtc/net/UdpSocket.hpp"
#include "rtc/room/Room.hpp"
#include "rtc/transport/WebRtcTransport.hpp"
#include "rtc/worker/HandoffQueue.hpp"
#include "rtc/worker/Routes.hpp"
#include "rtc/worker/TcpPaths.hpp"

namespace vg::rtc::worker {

class Worker final : private transport::WebRtcTransport::Listener, private TcpPaths::Listener {
  public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t command_limit = 1024;
    // A call session is a booth and an agent, perhaps an interpreter or a supervisor.
    static constexpr std::size_t max_participants_per_room = 8;
    static constexpr auto tick_interval = std::chrono::milliseconds(20);

    struct ParticipantSpec {
        std::string room_id;
        std::string role;
        room::MediaSettings media;
        std::shared_ptr<room::Negotiation> negotiation;  // nullptr: no server offers
        transport::WebRtcTransport::Options transport;   // transport.id is the participant id
    };

    struct Stats {
        std::size_t rooms = 0;
        std::size_t participants = 0;
        std::size_t routes = 0;  // ufrag and address entries
        std::uint64_t forwarded_packets = 0;
        std::uint64_t received_datagrams = 0;
        std::uint64_t handed_over = 0;  // received here, processed by the owner
        // Unroutable, unauthenticated or undecryptable (of participants still present).
        std::uint64_t dropped_datagrams = 0;
        TcpPaths::Stats tcp;
        // Chat messages over their sender's rate (room::ChatRelay), of every participant.
        std::uint64_t chat_messages_dropped = 0;
        // Counters: of every participant this worker has had. Rates: summed over those present;
        // rtt_ms summed over the rtt_participants whose round trip is known; jitter_ms the
        // largest.
        QualitySummary quality;
        std::size_t rtt_participants = 0;
    };

    static constexpr std::size_t max_workers = Routes::max_workers;
    // Makes a local ICE ufrag name its owner; and reads it back (max_workers if unmarked).
    static void mark_ufrag(std::string& ufrag, std::size_t worker_index) {
        Routes::mark_ufrag(ufrag, worker_index);
    }
    static std::size_t owner_of_ufrag(std::string_view ufrag) {
        return Routes::owner_of_ufrag(ufrag);
    }

    // Binds the UDP socket and listens on TCP on the same port (throws std::system_error);
    // share_port sets SO_REUSEPORT. The thread starts with start().
    Worker(std::size_t index, const net::SocketAddress& bind_address, bool share_port,
           std::shared_ptr<const dtls::DtlsContext> context, MediaListener& listener);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // Every worker on the shared port, by index (this one included); before start().
    void set_siblings(std::vector<Worker*> siblings) { siblings_ = std::move(siblings); }
    void start();
    // Closes every participant (without events) and joins the thread.
    void stop();

    std::size_t index() const { return index_; }
    const net::SocketAddress& local_address() const { return socket_->local_address(); }

    // Runs command on the worker's thread. Thread-safe; false when the queue is full or the
    // worker stopped (the command is then dropped).
    bool post(std::function<void()> command);

    // Worker thread only (from a posted command). add_participant throws std::runtime_error
    // when the transport cannot be made or the ufrag is taken.
    void add_participant(ParticipantSpec spec);
    // False when unknown. notify: whether the Listener hears of it.
    bool remove_participant(std::uint64_t participant_id, std::string_view reason, bool notify);
    // The participant's first answer reached its browser: server offers may follow. Sends those
    // its call session needs now (also after accept_answer, once its result is delivered).
    void renegotiate(std::uint64_t participant_id);
    // The browser's answer to the participant's pending offer; false with the reason when it is
    // refused (nothing changes).
    bool accept_answer(std::uint64_t participant_id, std::string_view answer_sdp,
                       std::string& error);
    // The browser's offer after its first: an ICE restart (room::Negotiation::restart_ice). Our
    // answer with new local credentials, or std::nullopt with the reason (nothing changes).
    // Both the new and the previous local ufrag route here until the next restart.
    std::optional<std::string> restart_ice(std::uint64_t participant_id, std::string_view offer_sdp,
                                           std::string& error);
    Stats stats() const;

  private:
    // Binds socket_ and tcp_ to one port number (throws std::system_error).
    void bind(const net::SocketAddress& address, bool share_port);
    void run();
    void run_commands();
    // handed: the datagram came through the hand-over queue (never handed on again).
    void receive(net::UdpSocket::Datagram& datagram, Clock::time_point now, bool handed);
    void hand_over(std::size_t owner, const net::UdpSocket::Datagram& datagram);
    void wake_siblings();
    void wake();
    void tick(Clock::time_point now);
    void reap();
    struct Entry {
        room::Participant* participant;
        room::Room* room;
    };
    const Entry* entry_of(const transport::WebRtcTransport& transport) const;
    void publish(std::vector<room::Room::Offer> offers);

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
    void on_transport_application_data(transport::WebRtcTransport& transport,
                                       std::span<const std::uint8_t> data) override;

    std::size_t owner_of_frame(std::span<const std::uint8_t> frame) override;
    bool hand_over_connection(std::size_t owner,
                              std::unique_ptr<net::TcpConnection> connection) override;
    void on_tcp_frame(std::span<std::uint8_t> frame, const net::SocketAddress& from) override;
    void on_tcp_closed(const net::SocketAddress& remote) override;

    std::size_t index_;
    std::shared_ptr<const dtls::DtlsContext> context_;
    MediaListener& listener_;
    std::unique_ptr<net::UdpSocket> socket_;  // Allocated by this, with tcp_ on its port.
    net::FileDescriptor epoll_fd_;
    net::FileDescriptor event_fd_;
    std::unique_ptr<TcpPaths> tcp_;  // Allocated by this: needs the epoll descriptor.
    std::thread thread_;
    std::atomic<bool> running_{false};

    std::mutex commands_mutex_;
    std::deque<std::function<void()>> commands_;
    bool accepting_ = true;

    // Worker thread only from here on.
    Clock::time_point now_{};
    std::unordered_map<std::string, std::unique_ptr<room::Room>> rooms_;
    std::unordered_map<std::uint64_t, Entry> participants_;
    Routes routes_;
    // Failed participants, removed after the current batch: never from inside a callback.
    std::vector<std::pair<std::uint64_t, std::string>> doomed_;
    std::vector<Worker*> siblings_;
    HandoffQueue inbox_;
    std::vector<bool> wake_pending_;
    std::uint64_t handed_over_ = 0;
    std::uint64_t received_datagrams_ = 0;
    std::uint64_t unrouted_datagrams_ = 0;
    QualitySummary departed_quality_;  // counters of the participants already removed
    std::uint64_t departed_chat_dropped_ = 0;
};

}  // namespace vg::rtc::worker
