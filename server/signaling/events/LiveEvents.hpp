#pragma once
// Live events on /api/v1/events (CONTRACT.md "WebSockets", proto/events.schema.json). A client
// says {type: "hello", token} (an agent's, a booth's or an admin/supervisor API key) within
// hello_timeout, else the connection closes with 4401; it gets {type: "hello", principal}, then a
// snapshot of everything it may see now, then pushes: queue.changed, offer, session.ready,
// session.ended, presence.changed, booth.state.
//
// Pushes come from committed changes only: the REST handlers write domain_events rows in their
// transactions, PostgreSQL notifies their ids on "vg_events" after commit, and this object reads
// the rows and what they name in a pool job, then sends to each connection allowed to see them
// (see Audience). Every server process sharing the database does the same, so every client gets
// the same events whatever process it is connected to. When the LISTEN connection comes back
// after a loss, every client gets a fresh snapshot (what happened meanwhile was not notified).
//
// The database work (token checks, snapshots, event reads) runs one job at a time, in arrival
// order, so that a client's snapshot always precedes its first push.
//
// It also runs the queue timers (QueueTimers), whose hook keeps alive, in agent_presence, the
// agents that have a live-events connection here (and booths.last_seen_at of such booths): an
// agent whose last connection closed goes offline after ApiOptions::presence_grace, and what was
// offered to them returns to the queue.
// The same hook closes (4401) connections whose booth, agent session or API key was revoked (a
// booth.revoked event closes the booth's at once).
//
// Lifetime: construct before the HTTP server accepts /api/v1/events, shutdown() and destroy after
// the server has closed every connection (the peers keep a reference to it).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "db/Notifier.hpp"
#include "db/Pool.hpp"
#include "http/WebSocket.hpp"
#include "http/api/ApiContext.hpp"
#include "http/api/Principal.hpp"
#include "signaling/Schedule.hpp"

namespace vg::signaling::events {

class EventsPeer;
class QueueTimers;

struct LiveEventsOptions {
    std::string conninfo;  // the database, for the LISTEN connection (libpq URI)
    std::chrono::milliseconds hello_timeout{5000};
    std::chrono::milliseconds tick{1000};    // queue timers and console heartbeats
    std::size_t max_message_bytes = 4096;    // a hello carries a token of at most 256 bytes
    std::size_t max_pending_hellos = 1024;   // waiting for the database; beyond: close 1013
    std::size_t max_pending_events = 10000;  // notified, not read yet; beyond: resync everyone
};

class LiveEvents {
  public:
    // pool and api must outlive this object; schedule runs the hello deadlines and the ticks.
    LiveEvents(db::Pool& pool, const http::api::ApiContext& api, Schedule schedule,
               LiveEventsOptions options);
    ~LiveEvents();  // shutdown()
    LiveEvents(const LiveEvents&) = delete;
    LiveEvents& operator=(const LiveEvents&) = delete;

    // For server.add_websocket("/api/v1/events", ...).
    http::WebSocketFactory factory();
    std::shared_ptr<http::WebSocketPeer> open(
        std::shared_ptr<http::WebSocketConnection> connection);

    // Starts listening and the timers.
    void start();
    // Stops the timers and the listening, waits for the database job in progress, closes every
    // connection (1001). Idempotent.
    void shutdown();

    bool listening() const;  // the LISTEN connection is up
    std::size_t connection_count() const;

  private:
    friend class EventsPeer;

    struct Work {
        std::function<void(db::Connection&)> run;
        std::function<void()> fail;  // when run threw or no database connection could be had
        bool hello = false;
    };
    struct Admitted {
        std::shared_ptr<EventsPeer> peer;
        http::api::Principal principal;
    };

    // From a peer: check the token, then admit it with its snapshot (or close 4401).
    void authenticate(std::shared_ptr<EventsPeer> peer, std::string token);
    void forget(const EventsPeer* peer);

    bool enqueue(Work work, bool hello = false);
    void drain(db::Connection& db);
    void fail_queued();

    void on_notify(const std::string& payload);
    void request_resync();
    void read_events(db::Connection& db);
    void deliver(db::Connection& db, const db::Result& events, int row,
                 const std::vector<Admitted>& audience, std::set<std::string>& done,
                 const std::string& now);
    void resync(db::Connection& db);
    void heartbeat(db::Connection& db, const std::string& now);

    std::vector<Admitted> admitted() const;
    std::string now() const;

    db::Pool& pool_;
    const http::api::ApiContext& api_;
    Schedule schedule_;
    LiveEventsOptions options_;
    std::unique_ptr<db::Notifier> notifier_;
    std::shared_ptr<QueueTimers> timers_;

    mutable std::mutex mutex_;  // guards what follows; never held while calling a peer
    std::condition_variable idle_;
    std::unordered_map<const EventsPeer*, std::weak_ptr<EventsPeer>> peers_;
    std::deque<Work> work_;
    std::size_t pending_hellos_ = 0;
    bool draining_ = false;               // a pool job is working through work_
    std::vector<std::string> event_ids_;  // notified, not read yet
    bool events_queued_ = false;
    bool resync_queued_ = false;
    bool resync_wanted_ = false;  // events may have been missed; resync at the next tick
    bool was_listening_ = false;
    bool started_ = false;
    bool stopping_ = false;
};

// What server/app calls: server.add_websocket("/api/v1/events", events->factory()), then
// events->start(); at shutdown, after the server stopped, events->shutdown().
std::unique_ptr<LiveEvents> make_live_events(db::Pool& pool, const http::api::ApiContext& api,
                                             Schedule schedule, LiveEventsOptions options);

}  // namespace vg::signaling::events
