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
// order (db::SerialJobs), so that a client's snapshot always precedes its first push; the
// messages themselves are Fanout's.
//
// It hooks onto the queue clock (desk::QueueTimers, made by app/Application): each beat keeps
// alive the consoles and booths connected here (desk::Consoles; an agent whose last connection
// closed goes offline after desk::Options::presence_grace, and what was offered to them returns
// to the queue) and closes (4401) connections whose booth, agent session or API key was revoked
// (a booth.revoked event closes the booth's at once).
//
// Lifetime: construct before the HTTP server accepts /api/v1/events, shutdown() and destroy after
// the server has closed every connection (the peers keep a reference to it), and before the queue
// clock.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/Schedule.hpp"
#include "db/Notifier.hpp"
#include "db/Pool.hpp"
#include "db/SerialJobs.hpp"
#include "desk/Options.hpp"
#include "desk/QueueTimers.hpp"
#include "http/WebSocket.hpp"
#include "signaling/events/Connections.hpp"
#include "signaling/events/EventsHub.hpp"
#include "signaling/events/EventsPeer.hpp"
#include "signaling/events/Fanout.hpp"

namespace vg::signaling::events {

struct LiveEventsOptions {
    std::string conninfo;  // the database, for the LISTEN connection (libpq URI)
    std::chrono::milliseconds hello_timeout{5000};
    std::size_t max_message_bytes = 4096;    // a hello carries a token of at most 256 bytes
    std::size_t max_pending_hellos = 1024;   // waiting for the database; beyond: close 1013
    std::size_t max_pending_events = 10000;  // notified, not read yet; beyond: resync everyone
};

class LiveEvents : public EventsHub {
  public:
    // pool and queue_clock must outlive this object; schedule runs the hello deadlines.
    LiveEvents(db::Pool& pool, desk::Clock clock, desk::QueueTimers& queue_clock,
               common::Schedule schedule, LiveEventsOptions options);
    ~LiveEvents() override;  // shutdown()
    LiveEvents(const LiveEvents&) = delete;
    LiveEvents& operator=(const LiveEvents&) = delete;

    // For server.add_websocket("/api/v1/events", ...).
    http::WebSocketFactory factory();
    // upgrade_token: the credential of the upgrade request (the console's session cookie),
    // taken when the hello carries none.
    std::shared_ptr<http::WebSocketPeer> open(std::shared_ptr<http::WebSocketConnection> connection,
                                              std::string upgrade_token = {});

    // Starts listening and hooks onto the queue clock.
    void start();
    // ended(session_id), on a pool thread, for each call session that ended or whose booth was
    // revoked, as the database notifies it: signaling ends its participants on this node. Set
    // before start().
    void on_call_ended(std::function<void(const std::string& session_id)> ended);
    // Leaves the queue clock, stops listening, waits for the database job in progress, closes
    // every connection (1001). Idempotent.
    void shutdown();

    bool listening() const;  // the LISTEN connection is up
    std::size_t connection_count() const;

    // EventsHub, for the peers.
    void authenticate(std::shared_ptr<EventsPeer> peer, std::string token) override;
    void forget(const EventsPeer* peer) override;
    void schedule(std::chrono::milliseconds delay, std::function<void()> task) override {
        schedule_(delay, std::move(task));
    }

  private:
    void on_notify(const std::string& payload);
    void request_resync();
    void read_events(db::Connection& db);
    void resync(db::Connection& db);
    void heartbeat(db::Connection& db, const std::string& now);

    desk::Clock clock_;
    desk::QueueTimers& queue_clock_;
    common::Schedule schedule_;
    LiveEventsOptions options_;
    db::SerialJobs jobs_;
    std::unique_ptr<db::Notifier> notifier_;
    std::function<void(const std::string&)> call_ended_;
    int hook_ = 0;  // on the queue clock, while started
    Connections connections_;

    mutable std::mutex mutex_;            // guards what follows; never held while calling a peer
    std::vector<std::string> event_ids_;  // notified, not read yet
    bool events_queued_ = false;
    bool resync_queued_ = false;
    bool resync_wanted_ = false;  // events may have been missed; resync at the next beat
    bool was_listening_ = false;
    bool started_ = false;
    bool stopping_ = false;
};

}  // namespace vg::signaling::events
