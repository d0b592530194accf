#include "rtc/sctp/UsrSctpLibrary.hpp"

#include <arpa/inet.h>
#include <usrsctp.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace vg::rtc::sctp {
namespace {

struct Inbox {
    std::vector<UsrSctpLibrary::Event> events;
    std::size_t bytes = 0;
};

struct State {
    std::mutex mutex;  // guards inboxes
    std::unordered_map<UsrSctpLibrary::Route, Inbox> inboxes;
    std::atomic<UsrSctpLibrary::Route> next_route{1};
    std::atomic<std::uint64_t> dropped{0};
    std::atomic<bool> initialized{false};
    std::mutex timer_mutex;  // one thread at a time runs usrsctp's timers
    std::chrono::steady_clock::time_point last_timers = std::chrono::steady_clock::now();
};

// Never destroyed: usrsctp may call back during process exit from any worker still stopping.
State& state() {
    static auto* instance = new State;
    return *instance;
}

UsrSctpLibrary::Route route_of(void* address) {
    return reinterpret_cast<UsrSctpLibrary::Route>(address);
}

int on_output(void* address, void* buffer, std::size_t length, std::uint8_t, std::uint8_t) {
    UsrSctpLibrary::Event event;
    event.kind = UsrSctpLibrary::Event::Kind::Packet;
    const auto* bytes = static_cast<const std::uint8_t*>(buffer);
    event.bytes.assign(bytes, bytes + length);
    UsrSctpLibrary::post(route_of(address), std::move(event));
    return 0;  // a packet we could not queue is lost on the wire as far as SCTP knows
}

int on_receive(struct socket*, union sctp_sockstore, void* data, std::size_t length,
               struct sctp_rcvinfo info, int flags, void* route) {
    UsrSctpLibrary::Event event;
    if (data == nullptr) {
        event.kind = UsrSctpLibrary::Event::Kind::Closed;
    } else {
        event.kind = (flags & MSG_NOTIFICATION) != 0 ? UsrSctpLibrary::Event::Kind::Notification
                                                     : UsrSctpLibrary::Event::Kind::Data;
        event.stream = info.rcv_sid;
        event.ppid = ntohl(info.rcv_ppid);
        event.end_of_message = (flags & MSG_EOR) != 0;
        const auto* bytes = static_cast<const std::uint8_t*>(data);
        event.bytes.assign(bytes, bytes + length);
        std::free(data);  // usrsctp hands the buffer over to the callback
    }
    UsrSctpLibrary::post(route_of(route), std::move(event));
    return 1;
}

void initialize() {
    static std::once_flag once;
    std::call_once(once, [] {
        // Port 0: no UDP encapsulation; every packet goes through on_output to DTLS.
        usrsctp_init_nothreads(0, on_output, nullptr);
        // Browsers give up on a silent peer after a few tries; so do we, and sooner than the
        // 30 s ICE consent timeout would.
        usrsctp_sysctl_set_sctp_ecn_enable(0);
        usrsctp_sysctl_set_sctp_rto_initial_default(1000);
        usrsctp_sysctl_set_sctp_init_rtx_max_default(5);
        usrsctp_sysctl_set_sctp_assoc_rtx_max_default(5);
        usrsctp_sysctl_set_sctp_delayed_sack_time_default(20);
        usrsctp_sysctl_set_sctp_blackhole(2);
        state().initialized.store(true);
    });
}

}  // namespace

UsrSctpLibrary::Route UsrSctpLibrary::open_route() {
    initialize();
    auto& s = state();
    const Route route = s.next_route.fetch_add(1);
    {
        std::lock_guard lock(s.mutex);
        s.inboxes.emplace(route, Inbox{});
    }
    usrsctp_register_address(reinterpret_cast<void*>(route));
    return route;
}

void UsrSctpLibrary::close_route(Route route) {
    usrsctp_deregister_address(reinterpret_cast<void*>(route));
    auto& s = state();
    std::lock_guard lock(s.mutex);
    s.inboxes.erase(route);
}

struct socket* UsrSctpLibrary::make_socket(Route route) {
    return usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, on_receive, nullptr, 0,
                          reinterpret_cast<void*>(route));
}

bool UsrSctpLibrary::take(Route route, std::vector<Event>& out) {
    out.clear();
    auto& s = state();
    std::lock_guard lock(s.mutex);
    const auto found = s.inboxes.find(route);
    if (found == s.inboxes.end() || found->second.events.empty()) return false;
    // Swapping hands the caller's spare capacity to the inbox for the next events.
    out.swap(found->second.events);
    found->second.bytes = 0;
    return true;
}

bool UsrSctpLibrary::post(Route route, Event event) {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    const auto found = s.inboxes.find(route);
    if (found == s.inboxes.end()) return false;
    Inbox& inbox = found->second;
    if (inbox.bytes + event.bytes.size() > inbox_limit) {
        s.dropped.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    inbox.bytes += event.bytes.size();
    inbox.events.push_back(std::move(event));
    return true;
}

void UsrSctpLibrary::handle_timers() {
    auto& s = state();
    if (!s.initialized.load()) return;
    std::unique_lock lock(s.timer_mutex, std::try_to_lock);
    if (!lock.owns_lock()) return;
    const auto now = std::chrono::steady_clock::now();
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - s.last_timers).count();
    if (elapsed < 10) return;
    s.last_timers = now;
    usrsctp_handle_timers(static_cast<std::uint32_t>(elapsed));
}

std::size_t UsrSctpLibrary::open_routes() {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    return s.inboxes.size();
}

std::uint64_t UsrSctpLibrary::dropped_events() {
    return state().dropped.load(std::memory_order_relaxed);
}

}  // namespace vg::rtc::sctp
