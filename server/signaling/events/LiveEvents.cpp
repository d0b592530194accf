#include "signaling/events/LiveEvents.hpp"

#include <nlohmann/json.hpp>

#include "common/Log.hpp"
#include "domain/TimeFormat.hpp"
#include "http/api/Auth.hpp"
#include "http/api/Housekeeping.hpp"
#include "signaling/events/Audience.hpp"
#include "signaling/events/EventsPeer.hpp"
#include "signaling/events/LiveState.hpp"
#include "signaling/events/QueueTimers.hpp"

namespace vg::signaling::events {

namespace {

using nlohmann::json;
using Kind = http::api::Principal::Kind;

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

void log_failure(const char* what, const std::exception& e) {
    common::log::get("events")->warn("{}: {}", what, e.what());
}

}  // namespace

LiveEvents::LiveEvents(db::Pool& pool, const http::api::ApiContext& api, Schedule schedule,
                       LiveEventsOptions options)
    : pool_(pool), api_(api), schedule_(std::move(schedule)), options_(std::move(options)) {}

LiveEvents::~LiveEvents() {
    shutdown();
}

http::WebSocketFactory LiveEvents::factory() {
    return [this](std::shared_ptr<http::WebSocketConnection> connection, const http::Request&) {
        return open(std::move(connection));
    };
}

std::shared_ptr<http::WebSocketPeer> LiveEvents::open(
    std::shared_ptr<http::WebSocketConnection> connection) {
    auto peer = std::make_shared<EventsPeer>(*this, std::move(connection));
    {
        std::lock_guard lock(mutex_);
        peers_[peer.get()] = peer;
    }
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
    timers_ = std::make_shared<QueueTimers>(
        pool_, api_, schedule_, options_.tick,
        [this](db::Connection& db, const std::string& now) { heartbeat(db, now); });
    timers_->start();
}

void LiveEvents::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    if (timers_) timers_->stop();
    std::unique_ptr<db::Notifier> notifier;
    {
        std::lock_guard lock(mutex_);
        notifier = std::move(notifier_);
    }
    notifier.reset();  // joins its thread: no notification after this
    std::vector<std::weak_ptr<EventsPeer>> peers;
    {
        std::unique_lock lock(mutex_);
        idle_.wait(lock, [this] { return !draining_; });
        for (const auto& [key, peer] : peers_) peers.push_back(peer);
    }
    for (const auto& weak : peers)
        if (auto peer = weak.lock())
            peer->end("server_shutdown", "the server is stopping", kCloseGoingAway);
}

bool LiveEvents::listening() const {
    std::lock_guard lock(mutex_);
    return notifier_ && notifier_->listening();
}

std::size_t LiveEvents::connection_count() const {
    std::lock_guard lock(mutex_);
    return peers_.size();
}

void LiveEvents::authenticate(std::shared_ptr<EventsPeer> peer, std::string token) {
    std::weak_ptr<EventsPeer> weak = peer;
    Work work;
    work.hello = true;
    work.run = [this, weak, token = std::move(token)](db::Connection& db) {
        auto self = weak.lock();
        if (!self) return;
        auto now = this->now();
        auto principal = http::api::Auth::resolve(db, token, now);
        if (!principal)
            return self->end("unauthorized", "the token is not valid", kCloseUnauthorized);
        if (!Audience::admitted(*principal))
            return self->end("forbidden", "this credential has no live view", kCloseForbidden);
        auto snapshot = LiveState::snapshot(db, *principal, now);
        // The console is alive from now on: a reconnect within the grace period keeps the
        // agent's presence.
        if (self->admit(*principal, snapshot) && principal->kind == Kind::Agent)
            http::api::Housekeeping::touch_agent(db, principal->id, now);
    };
    work.fail = [weak] {
        if (auto self = weak.lock())
            self->end("unavailable", "the token cannot be checked now; try again",
                      kCloseTryAgainLater);
    };
    if (!enqueue(std::move(work), true))
        peer->end("unavailable", "too many connections are waiting; try again",
                  kCloseTryAgainLater);
}

void LiveEvents::forget(const EventsPeer* peer) {
    std::lock_guard lock(mutex_);
    peers_.erase(peer);
}

bool LiveEvents::enqueue(Work work, bool hello) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
        if (hello) {
            if (pending_hellos_ >= options_.max_pending_hellos) return false;
            ++pending_hellos_;
        }
        work.hello = hello;
        work_.push_back(std::move(work));
        if (draining_) return true;
        draining_ = true;
    }
    pool_.submit([this](db::Connection& db) { drain(db); },
                 [this](std::exception_ptr error) {
                     try {
                         std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                         log_failure("live events", e);
                     }
                     fail_queued();
                 });
    return true;
}

void LiveEvents::drain(db::Connection& db) {
    for (;;) {
        Work work;
        {
            std::lock_guard lock(mutex_);
            if (work_.empty()) {
                draining_ = false;
                idle_.notify_all();
                return;
            }
            work = std::move(work_.front());
            work_.pop_front();
            if (work.hello) --pending_hellos_;
        }
        try {
            work.run(db);
        } catch (const std::exception& e) {
            log_failure("live events", e);
            if (work.fail) work.fail();
        }
    }
}

void LiveEvents::fail_queued() {
    std::deque<Work> failed;
    {
        std::lock_guard lock(mutex_);
        failed.swap(work_);
        pending_hellos_ = 0;
        draining_ = false;
        idle_.notify_all();
    }
    for (auto& work : failed)
        if (work.fail) work.fail();
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
    Work work;
    work.run = [this](db::Connection& db) { read_events(db); };
    work.fail = [this] {
        std::lock_guard lock(mutex_);
        events_queued_ = false;  // the next notification queues a read again
        resync_wanted_ = true;
    };
    enqueue(std::move(work));
}

void LiveEvents::request_resync() {
    {
        std::lock_guard lock(mutex_);
        if (resync_queued_ || stopping_) return;
        resync_queued_ = true;
    }
    Work work;
    work.run = [this](db::Connection& db) {
        {
            std::lock_guard lock(mutex_);
            resync_queued_ = false;
        }
        resync(db);
    };
    work.fail = [this] {
        std::lock_guard lock(mutex_);
        resync_queued_ = false;
        resync_wanted_ = true;
    };
    enqueue(std::move(work));
}

void LiveEvents::read_events(db::Connection& db) {
    std::vector<std::string> ids;
    {
        std::lock_guard lock(mutex_);
        ids.swap(event_ids_);
        events_queued_ = false;
    }
    auto audience = admitted();
    if (ids.empty() || audience.empty()) return;
    // The ids notified, not "every id above the last one": ids are taken in one order and
    // committed in another.
    auto events = db.exec(
        "SELECT id, type, site_id::text, agent_id::text, booth_id::text, object_id::text "
        "FROM domain_events WHERE id = ANY($1::bigint[]) ORDER BY id",
        {LiveState::text_array(ids)});
    std::set<std::string> done;
    auto now = this->now();
    for (int row = 0; row < events.rows(); ++row) deliver(db, events, row, audience, done, now);
}

void LiveEvents::deliver(db::Connection& db, const db::Result& events, int row,
                         const std::vector<Admitted>& audience, std::set<std::string>& done,
                         const std::string& now) {
    const std::string type(events.get(row, 1));
    const std::string site(events.get(row, 2)), agent(events.get(row, 3)),
        object(events.get(row, 5));
    // Messages carry the state read now, so one per subject per batch says it all.
    if (!done.insert(type + ":" + site + ":" + agent + ":" + object).second) return;

    if (type == "queue.changed") {
        if (site.empty() || !done.insert("queue:" + site).second) return;
        json message;
        for (const auto& [peer, who] : audience) {
            if (who.kind == Kind::Booth) {
                if (who.site_ids.size() == 1 && who.site_ids.front() == site)
                    peer->push_booth_state(LiveState::booth_state(db, who.id, now));
            } else if (Audience::sees_queue(who, site)) {
                if (message.is_null()) {
                    auto queues = LiveState::queues(db, std::vector<std::string>{site}, now);
                    message = {{"type", "queue.changed"},
                               {"site_id", site},
                               {"entries", queues.empty() ? json::array() : queues[0]["entries"]}};
                }
                peer->push(message);
            }
        }
    } else if (type == "offer") {
        json offer;
        for (const auto& [peer, who] : audience) {
            if (!Audience::is_agent(who, agent)) continue;
            if (offer.is_null()) offer = LiveState::offer_for(db, agent);
            // An offer already taken back or accepted is not news any more.
            if (!offer.is_object() || offer.value("queue_entry_id", "") != object) return;
            json message = offer;
            message["type"] = "offer";
            peer->push(message);
        }
    } else if (type == "session.ready" || type == "session.ended") {
        if (object.empty()) return;
        auto session = LiveState::session(db, object);
        if (!session.is_object()) return;
        const std::string site_id = session.value("site_id", "");
        for (const auto& [peer, who] : audience) {
            if (Audience::is_booth(who, session.value("booth_id", ""))) {
                json message = {{"type", type}, {"session_id", object}};
                if (type == "session.ended") message["end_reason"] = session["end_reason"];
                peer->push(message);
            } else if (Audience::is_agent(who, session.value("agent_id", "")) ||
                       Audience::oversees(who, site_id)) {
                json message = session;
                message["type"] = type;
                peer->push(message);
            }
        }
    } else if (type == "booth.revoked") {
        const std::string booth(events.get(row, 4));
        for (const auto& [peer, who] : audience)
            if (Audience::is_booth(who, booth))
                peer->end("unauthorized", "the booth was revoked", kCloseUnauthorized);
    } else if (type == "presence.changed") {
        if (agent.empty()) return;
        json presence;
        std::vector<std::string> sites;
        for (const auto& [peer, who] : audience) {
            if (who.kind == Kind::Booth) continue;
            if (presence.is_null()) {
                presence = LiveState::presence(db, agent);
                if (!presence.is_object()) return;
                sites = presence["site_ids"].get<std::vector<std::string>>();
            }
            if (!Audience::is_agent(who, agent) && !Audience::oversees_any(who, sites)) continue;
            peer->push({{"type", "presence.changed"},
                        {"agent_id", agent},
                        {"state", presence["state"]},
                        {"since", presence["since"]}});
        }
    }
}

void LiveEvents::resync(db::Connection& db) {
    auto now = this->now();
    for (const auto& [peer, who] : admitted()) peer->resync(LiveState::snapshot(db, who, now));
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

    auto audience = admitted();
    if (audience.empty()) return;
    std::vector<std::string> agents, booths, kinds, ids;
    for (const auto& [peer, who] : audience) {
        kinds.push_back(who.kind_name());
        ids.push_back(who.kind == Kind::Agent ? who.session_id : who.id);
        if (ids.back().empty()) ids.back() = "00000000-0000-0000-0000-000000000000";
        if (who.kind == Kind::Agent) agents.push_back(who.id);
        if (who.kind == Kind::Booth) booths.push_back(who.id);
    }
    if (!agents.empty())
        db.exec("UPDATE agent_presence SET last_seen_at = $2 WHERE agent_id = ANY($1::uuid[])",
                {LiveState::text_array(agents), now});
    // A booth is online while it holds a live-events connection somewhere.
    if (!booths.empty())
        db.exec("UPDATE booths SET last_seen_at = $2 WHERE id = ANY($1::uuid[])",
                {LiveState::text_array(booths), now});
    // Credentials revoked (or expired) since the hello: those connections end at once.
    auto revoked = db.exec(
        "SELECT x.kind, x.id FROM unnest($1::text[], $2::text[]) AS x(kind, id) WHERE NOT "
        "CASE x.kind WHEN 'api_key' THEN EXISTS (SELECT 1 FROM api_keys k "
        "  WHERE k.id = x.id::uuid AND k.revoked_at IS NULL) "
        "WHEN 'agent' THEN EXISTS (SELECT 1 FROM agent_sessions s JOIN agents a "
        "  ON a.id = s.agent_id WHERE s.id = x.id::uuid AND s.revoked_at IS NULL "
        "  AND s.expires_at > $3::timestamptz AND a.active) "
        "ELSE EXISTS (SELECT 1 FROM booths b WHERE b.id = x.id::uuid AND b.revoked_at IS NULL) "
        "END",
        {LiveState::text_array(kinds), LiveState::text_array(ids), now});
    for (int row = 0; row < revoked.rows(); ++row) {
        for (std::size_t i = 0; i < audience.size(); ++i) {
            if (kinds[i] == revoked.get(row, 0) && ids[i] == revoked.get(row, 1))
                audience[i].peer->end("unauthorized", "the credential was revoked",
                                      kCloseUnauthorized);
        }
    }
}

std::vector<LiveEvents::Admitted> LiveEvents::admitted() const {
    std::vector<std::weak_ptr<EventsPeer>> peers;
    {
        std::lock_guard lock(mutex_);
        peers.reserve(peers_.size());
        for (const auto& [key, peer] : peers_) peers.push_back(peer);
    }
    std::vector<Admitted> result;
    for (const auto& weak : peers) {
        auto peer = weak.lock();
        if (!peer) continue;
        if (auto principal = peer->principal()) result.push_back({peer, std::move(*principal)});
    }
    return result;
}

std::string LiveEvents::now() const {
    return domain::TimeFormat::format_instant(
        std::chrono::time_point_cast<std::chrono::microseconds>(api_.clock()));
}

std::unique_ptr<LiveEvents> make_live_events(db::Pool& pool, const http::api::ApiContext& api,
                                             Schedule schedule, LiveEventsOptions options) {
    return std::make_unique<LiveEvents>(pool, api, std::move(schedule), std::move(options));
}

}  // namespace vg::signaling::events
