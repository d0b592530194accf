#pragma once
// Where a datagram that reaches a worker goes: the participant whose local ICE ufrag its STUN
// names, the participant whose selected or checked remote address it comes from, or (a remote
// address whose participant another worker owns, learned from its STUN) that worker. Bounded:
// a few addresses per participant, forwards forgotten after a silence. Worker thread only; the
// lookups neither allocate nor throw.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "rtc/net/SocketAddress.hpp"
#include "rtc/room/Participant.hpp"

namespace vg::rtc::worker {

class Routes {
  public:
    using Clock = std::chrono::steady_clock;
    // A participant reachable over many candidate pairs still has few: this bounds the table.
    static constexpr std::size_t max_addresses_per_participant = 8;
    // A remote address silent this long no longer needs handing over; bounds the table.
    static constexpr auto forward_idle_limit = std::chrono::seconds(60);
    static constexpr std::size_t max_forwards = 65536;
    // Workers sharing a port: at most as many as ufrag markers.
    static constexpr std::size_t max_workers = 64;

    // Makes a local ICE ufrag name its owner (its first character); and reads it back
    // (max_workers if unmarked).
    static void mark_ufrag(std::string& ufrag, std::size_t worker_index);
    static std::size_t owner_of_ufrag(std::string_view ufrag);

    room::Participant* by_ufrag(std::string_view ufrag) const;
    bool has_ufrag(std::string_view ufrag) const { return by_ufrag(ufrag) != nullptr; }
    void add_ufrag(const std::string& ufrag, room::Participant& participant);
    void remove_ufrag(const std::string& ufrag) { by_ufrag_.erase(ufrag); }

    room::Participant* by_address(const net::SocketAddress& address) const;
    // False when the address already routes there or the participant has enough addresses.
    bool add_address(const net::SocketAddress& address, room::Participant& participant);
    void remove_address(const net::SocketAddress& address) { by_address_.erase(address); }
    // Forgets every address of the participant, each told to removed first.
    void remove_addresses(const room::Participant& participant,
                          const std::function<void(const net::SocketAddress&)>& removed);

    // Datagrams from this address go to worker owner until it falls silent.
    void forward(const net::SocketAddress& address, std::size_t owner, Clock::time_point now);
    // The worker datagrams from this address go to, if any (the route counts as used).
    std::optional<std::size_t> forward_of(const net::SocketAddress& address, Clock::time_point now);
    // Every few seconds: forgets the forwards silent for forward_idle_limit.
    void forget_idle_forwards(Clock::time_point now);

    std::size_t size() const { return by_ufrag_.size() + by_address_.size(); }

  private:
    struct TransparentHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const {
            return std::hash<std::string_view>{}(text);
        }
    };
    struct Forward {
        std::size_t owner;
        Clock::time_point last_used;
    };

    std::unordered_map<std::string, room::Participant*, TransparentHash, std::equal_to<>> by_ufrag_;
    std::unordered_map<net::SocketAddress, room::Participant*> by_address_;
    std::unordered_map<net::SocketAddress, Forward> forwards_;
    Clock::time_point next_forward_purge_{};
};

}  // namespace vg::rtc::worker
