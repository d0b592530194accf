#pragma once
// The one place usrsctp is initialized and the only code usrsctp calls back into.
//
// Threads: usrsctp is started without threads of its own (usrsctp_init_nothreads); the media
// workers drive its clock through handle_timers() on their ticks. usrsctp keeps one global
// stack, so a timer run on one worker may fire for an association that lives on another. Its
// callbacks therefore never touch an association: each socket and AF_CONN address carries a
// route id (never a pointer), and a callback only appends an Event to that route's bounded
// inbox, under one mutex. The association takes its events on its own worker right after each
// call into usrsctp and on every tick, so everything it does happens on its worker. A closed
// route has no inbox: a late callback for it does nothing.
#include <cstdint>
#include <span>
#include <vector>

struct socket;  // usrsctp's

namespace vg::rtc::sctp {

class UsrSctpLibrary {
  public:
    using Route = std::uintptr_t;

    struct Event {
        enum class Kind { Packet, Data, Notification, Closed };
        Kind kind = Kind::Packet;
        std::uint16_t stream = 0;  // Data
        std::uint32_t ppid = 0;    // Data, host order
        bool end_of_message = true;
        std::vector<std::uint8_t> bytes;
    };

    // What one route may hold between two takes; beyond it events are dropped and counted
    // (SCTP retransmits a dropped packet; a dropped message is lost, hence the room for four
    // messages of the largest size we accept).
    static constexpr std::size_t inbox_limit = 4 * 262144 + 65536;

    // A new route with its inbox and its AF_CONN address registered with usrsctp. Initializes
    // usrsctp on first use (thread-safe). Ids are never reused.
    static Route open_route();
    // Forgets the route: its pending events and any later callback for it are dropped.
    static void close_route(Route route);
    // A one-to-one AF_CONN SCTP socket whose callbacks go to route; nullptr if usrsctp refuses.
    static struct socket* make_socket(Route route);
    // Moves the route's pending events into out (cleared first); false when there are none.
    static bool take(Route route, std::vector<Event>& out);
    // Appends an event to the route's inbox; false if the route is closed or the inbox full.
    static bool post(Route route, Event event);
    // Advances usrsctp's clock by the time elapsed since the last call from any thread; cheap
    // when less than 10 ms passed or another thread is already at it. Any thread.
    static void handle_timers();

    static std::size_t open_routes();
    static std::uint64_t dropped_events();
};

}  // namespace vg::rtc::sctp
