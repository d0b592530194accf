#include "signaling/events/LiveEvents.hpp"

#include "common/Log.hpp"
#include "desk/Audience.hpp"
#include "desk/Consoles.hpp"
#include "desk/Credentials.hpp"
#include "desk/EndedCalls.hpp"
#include "desk/Housekeeping.hpp"
#include "desk/LiveState.hpp"

namespace vg::signaling::events {

namespace {

using Kind = desk::Principal::Kind;

constexpr std::uint16_t kCloseGoingAway = 1001;
constexpr std::uint16_t kCloseTryAgainLater = 1013;
constexpr std::uint16_t kCloseUnauthorized = 4401;
constexpr std::uint16_t kCloseForbidden = 4403;
constexpr const char* kChannel = "vg_events";

bool is_event_id(const std::string& payload) {
    if (payload.empty() || payload.size() > 19) return false;
    for (char c : payload)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

LiveEvents::LiveEvents(db::Pool& pool, desk::Clock clock, desk::QueueTimers& queue_clock,
                       common::Schedule schedule, LiveEventsOptions options)
    : clock_(std::move(clock)),
      queue_clock_(queue_clock),
      schedule_(std::move(schedule)),
      options_(std::move(options)),
      jobs_(pool, options_.max_pending_hellos) {}

LiveEvents::~LiveEvents() {
    shutdown();
}

http::WebSocketFactory LiveEvents::factory() {
    return [this](std::shared_ptr<http::WebSocketConnection> connection,
                  const http::Request& upgrade) {
        // The console's session cookie came with the upgrade: a hello without a token uses it.
        return open(std::move(connection), upgrade.bearer_token());
    };
}

std::shared_ptr<http::WebSocketPeer> LiveEvents::open(
    std::shared_ptr<http::WebSocketConnection> connection, std::string upgrade_token) {
    auto peer = std::make_shared<EventsPeer>(
        *this, std::move(connection),
        EventsPeerLimits{options_.hello_timeout, options_.max_message_bytes},
        std::move(upgrade_token));
    connections_.add(peer);
    peer->start();
    return peer;
}

void LiveEvents::start() {
    {
        std::lock_guard lock(mutex_);
        if (started_ || stopping_) return;
        started_ = true;
    }
    auto notifier = std::make_unique<db::Notifier>(
        db::NotifierOptions{options_.conninfo, {kChannel}},
        [this](const std::string&, const std::string& payload) { on_notify(payload); },
        [this] { request_resync(); });
    {
        std::lock_guard lock(mutex_);
        notifier_ = std::move(notifier);
    }
    hook_ = queue_clock_.add_hook(
        [this](db::Connection& db, const std::string& now) { heartbeat(db, now); });
}

void LiveEvents::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    if (hook_ != 0) queue_clock_.remove_hook(hook_);
    std::unique_ptr<db::Notifier> notifier;
    {
        std::lock_guard lock(mutex_);
        notifier = std::move(notifier_);
    }
    notifier.reset();  // joins its thread: no notification after this
    jobs_.close();
    for (const auto& peer : connections_.all())
        peer->end("server_shutdown", "the server is stopping", kCloseGoingAway);
}

bool LiveEvents::listening() const {
    std::lock_guard lock(mutex_);
    return notifier_ && notifier_->listening();
}

std::size_t LiveEvents::connection_count() const {
    return connections_.size();
}

void LiveEvents::authenticate(std::shared_ptr<EventsPeer> peer, std::string token) {
    std::weak_ptr<EventsPeer> weak = peer;
    db::SerialJobs::Job job;
    job.run = [this, weak, token = std::move(token)](db::Connection& db) {
        auto self = weak.lock();
        if (!self) return;
        auto now = desk::now_text(clock_);
        auto principal = desk::Credentials::resolve(db, token, now);
        if (!principal)
            return self->end("unauthorized", "the token is not valid", kCloseUnauthorized);
        if (!desk::Audience::admitted(*principal))
            return self->end("forbidden", "this credential has no live view", kCloseForbidden);
        auto snapshot = desk::LiveState::snapshot(db, *principal, now);
        // The console is alive from now on: a reconnect within the grace period keeps the
        // agent's presence.
        if (self->admit(*principal, snapshot) && principal->kind == Kind::Agent)
            desk::Housekeeping::touch_agent(db, principal->id, now);
    };
    job.fail = [weak] {
        if (auto self = weak.lock())
            self->end("unavailable", "the token cannot be checked now; try again",
                      kCloseTryAgainLater);
    };
    if (!jobs_.submit(std::move(job), true))
        peer->end("unavailable", "too many connections are waiting; try again",
                  kCloseTryAgainLater);
}

void LiveEvents::forget(const EventsPeer* peer) {
    connections_.forget(peer);
}

void LiveEvents::on_notify(const std::string& payload) {
    if (!is_event_id(payload)) return;
    bool queue = false;
    bool overflow = false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        if (event_ids_.size() >= options_.max_pending_events) {
            event_ids_.clear();
            overflow = true;
        } else {
            event_ids_.push_back(payload);
            queue = !events_queued_;
            events_queued_ = true;
        }
    }
    if (overflow) request_resync();
    if (!queue) return;
    jobs_.submit({[this](db::Connection& db) { read_events(db); },
                  [this] {
                      std::lock_guard lock(mutex_);
                      events_queued_ = false;  // the next notification queues a read again
                      resync_wanted_ = true;
                  }});
}

void LiveEvents::request_resync() {
    {
        std::lock_guard lock(mutex_);
        if (resync_queued_ || stopping_) return;
        resync_queued_ = true;
    }
    jobs_.submit({[this](db::Connection& db) {
                      {
                          std::lock_guard lock(mutex_);
                          resync_queued_ = false;
                      }
                      resync(db);
                  },
                  [this] {
                      std::lock_guard lock(mutex_);
                      resync_queued_ = false;
                      resync_wanted_ = true;
                  }});
}

void LiveEvents::read_events(db::Connection& db) {
    std::vector<std::string> ids;
    {
        std::lock_guard lock(mutex_);
        ids.swap(event_ids_);
        events_queued_ = false;
    }
    if (call_ended_)
        for (const auto& session : desk::EndedCalls::among(db, ids)) call_ended_(session);
    Fanout::deliver(db, ids, connections_.admitted(), desk::now_text(clock_));
}

void LiveEvents::on_call_ended(std::function<void(const std::string& session_id)> ended) {
    call_ended_ = std::move(ended);
}

void LiveEvents::resync(db::Connection& db) {
    auto now = desk::now_text(clock_);
    for (const auto& [peer, who] : connections_.admitted())
        peer->resync(desk::LiveState::snapshot(db, who, now));
}

void LiveEvents::heartbeat(db::Connection& db, const std::string& now) {
    bool resync_now = false;
    {
        std::lock_guard lock(mutex_);
        bool listening = notifier_ && notifier_->listening();
        // Clients admitted before the first LISTEN, or while events could not be read, may have
        // missed some.
        if (listening && (!was_listening_ || resync_wanted_)) resync_now = true;
        if (listening) resync_wanted_ = false;
        was_listening_ = listening;
    }
    if (resync_now) request_resync();

    auto audience = connections_.admitted();
    std::vector<desk::Principal> connected;
    for (const auto& admitted : audience) connected.push_back(admitted.principal);
    // Credentials revoked (or expired) since the hello: those connections end at once.
    for (auto i : desk::Consoles::keep_alive(db, connected, now))
        audience[i].peer->end("unauthorized", "the credential was revoked", kCloseUnauthorized);
}

}  // namespace vg::signaling::events
