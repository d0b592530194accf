#include "signaling/events/Fanout.hpp"

#include <nlohmann/json.hpp>

#include "desk/Audience.hpp"
#include "desk/LiveState.hpp"
#include "signaling/events/EventsPeer.hpp"

namespace vg::signaling::events {

namespace {

using desk::Audience;
using desk::LiveState;
using nlohmann::json;
using Kind = desk::Principal::Kind;

constexpr std::uint16_t kCloseUnauthorized = 4401;

}  // namespace

void Fanout::deliver(db::Connection& db, const std::vector<std::string>& event_ids,
                     const std::vector<Admitted>& audience, const std::string& now) {
    if (event_ids.empty() || audience.empty()) return;
    // The ids notified, not "every id above the last one": ids are taken in one order and
    // committed in another.
    auto events = db.exec(
        "SELECT id, type, site_id::text, agent_id::text, booth_id::text, object_id::text "
        "FROM domain_events WHERE id = ANY($1::bigint[]) ORDER BY id",
        {LiveState::text_array(event_ids)});
    std::set<std::string> done;
    for (int row = 0; row < events.rows(); ++row) deliver_one(db, events, row, audience, done, now);
}

void Fanout::deliver_one(db::Connection& db, const db::Result& events, int row,
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
    } else if (type == "site.hours_changed") {
        // The site's hours or closures changed: its booths and consoles read where it stands.
        if (site.empty()) return;
        json message = {{"type", type}, {"site_id", site}};
        for (const auto& [peer, who] : audience)
            if (who.kind == Kind::Booth ? who.site_ids.size() == 1 && who.site_ids.front() == site
                                        : Audience::sees_queue(who, site))
                peer->push(message);
    } else if (type == "booth.revoked") {
        const std::string booth(events.get(row, 4));
        for (const auto& [peer, who] : audience)
            if (Audience::is_booth(who, booth))
                peer->end("unauthorized", "the booth was revoked", kCloseUnauthorized);
    } else if (type == "agent.revoked") {
        // Deactivated: every connection of the agent ends now, not at the next keep-alive.
        for (const auto& [peer, who] : audience)
            if (Audience::is_agent(who, agent))
                peer->end("unauthorized", "the agent was deactivated", kCloseUnauthorized);
    } else if (type == "api_key.revoked") {
        for (const auto& [peer, who] : audience)
            if (who.kind == Kind::ApiKey && who.id == object)
                peer->end("unauthorized", "the API key was revoked", kCloseUnauthorized);
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

}  // namespace vg::signaling::events
