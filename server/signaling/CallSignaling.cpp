#include "signaling/CallSignaling.hpp"

#include <algorithm>

#include "common/Log.hpp"
#include "common/Secret.hpp"
#include "signaling/CallPeer.hpp"

namespace vg::signaling {

CallSignaling::CallSignaling(CallMedia& media, VerifyJoinToken verify, common::Schedule schedule,
                             CallSignalingOptions options)
    : media_(media), verify_(std::move(verify)), schedule_(std::move(schedule)), options_(options) {
    media_.set_listener(this);
}

CallSignaling::~CallSignaling() {
    media_.set_listener(nullptr);
}

http::WebSocketFactory CallSignaling::factory() {
    return [this](std::shared_ptr<http::WebSocketConnection> connection, const http::Request&) {
        return open(std::move(connection));
    };
}

std::shared_ptr<http::WebSocketPeer> CallSignaling::open(
    std::shared_ptr<http::WebSocketConnection> connection) {
    auto peer = std::make_shared<CallPeer>(
        *this, std::move(connection),
        CallPeerLimits{options_.join_timeout, options_.max_message_bytes});
    peer->start();
    return peer;
}

void CallSignaling::shutdown() {
    for (const auto& peer : peers()) peer->end("server_shutdown");
}

void CallSignaling::drain() {
    {
        std::lock_guard lock(mutex_);
        draining_ = true;
    }
    for (const auto& peer : peers()) peer->end("moved");
}

std::vector<std::shared_ptr<CallPeer>> CallSignaling::peers() const {
    std::vector<std::shared_ptr<CallPeer>> peers;
    std::lock_guard lock(mutex_);
    for (const auto& [id, entry] : participants_) {
        if (auto peer = entry.peer.lock()) peers.push_back(std::move(peer));
    }
    return peers;
}

void CallSignaling::end_session(const std::string& session_id, const std::string& reason) {
    std::vector<std::shared_ptr<CallPeer>> peers;
    {
        std::lock_guard lock(mutex_);
        auto call = calls_.find(session_id);
        if (call == calls_.end()) return;
        for (const auto& member : call->second)
            if (auto peer = participants_.at(member).peer.lock()) peers.push_back(std::move(peer));
    }
    for (const auto& peer : peers) peer->end(reason);
}

std::size_t CallSignaling::participant_count() const {
    std::lock_guard lock(mutex_);
    return participants_.size();
}

std::size_t CallSignaling::call_count() const {
    std::lock_guard lock(mutex_);
    return calls_.size();
}

std::vector<std::string> CallSignaling::session_ids() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> ids;
    for (const auto& [session_id, members] : calls_) ids.push_back(session_id);
    return ids;
}

void CallSignaling::on_server_offer(const std::string& participant_id, std::string sdp) {
    if (auto peer = find(participant_id)) peer->send_server_offer(std::move(sdp));
}

void CallSignaling::on_media_failed(const std::string& participant_id, std::string reason) {
    common::log::get("signaling")->info("participant {} media failed: {}", participant_id, reason);
    if (auto peer = find(participant_id)) peer->end("media_failed");
}

std::optional<JoinClaims> CallSignaling::verify(const std::string& join_token) {
    auto claims = verify_(join_token);
    if (!claims) return std::nullopt;
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    std::lock_guard lock(mutex_);
    std::erase_if(used_join_tokens_, [now](const auto& used) { return used.second <= now; });
    if (used_join_tokens_.size() >= options_.max_used_join_tokens) return std::nullopt;
    // A copied token is worth nothing once its owner joined with it, and the reverse.
    if (!used_join_tokens_.emplace(common::secret::token_hash(join_token), claims->expires_at)
             .second)
        return std::nullopt;
    return claims;
}

CallHub::Admission CallSignaling::admit(const std::shared_ptr<CallPeer>& peer,
                                        const std::string& participant_id,
                                        const JoinClaims& claims) {
    std::lock_guard lock(mutex_);
    Admission admission;
    if (draining_ || claims.node != options_.node_name) {
        admission.elsewhere = true;
        return admission;
    }
    auto identity = std::make_pair(claims.session_id, claims.identity);
    auto previous = by_identity_.find(identity);
    auto call = calls_.find(claims.session_id);
    std::size_t staying = call == calls_.end() ? 0 : call->second.size();
    if (previous != by_identity_.end()) --staying;
    if (staying >= options_.max_participants_per_call) return admission;

    auto& members = calls_[claims.session_id];
    if (previous != by_identity_.end()) {
        const std::string old_id = previous->second;
        if (auto old = participants_.find(old_id); old != participants_.end()) {
            admission.replaced = old->second.peer.lock();
            participants_.erase(old);
        }
        std::erase(members, old_id);
    }
    for (const auto& member : members) {
        const auto& entry = participants_.at(member);
        if (auto other = entry.peer.lock()) admission.others.push_back({other, entry.claims.role});
    }
    members.push_back(participant_id);
    participants_[participant_id] = Entry{peer, claims};
    by_identity_[identity] = participant_id;
    admission.admitted = true;
    return admission;
}

std::vector<CallHub::Neighbour> CallSignaling::forget(const std::string& participant_id) {
    std::lock_guard lock(mutex_);
    std::vector<Neighbour> others;
    auto found = participants_.find(participant_id);
    if (found == participants_.end()) return others;
    const JoinClaims claims = found->second.claims;
    participants_.erase(found);
    auto identity = by_identity_.find({claims.session_id, claims.identity});
    if (identity != by_identity_.end() && identity->second == participant_id) {
        by_identity_.erase(identity);
    }
    auto call = calls_.find(claims.session_id);
    if (call == calls_.end()) return others;
    std::erase(call->second, participant_id);
    for (const auto& member : call->second) {
        const auto& entry = participants_.at(member);
        if (auto other = entry.peer.lock()) others.push_back({other, entry.claims.role});
    }
    if (call->second.empty()) calls_.erase(call);
    return others;
}

std::shared_ptr<CallPeer> CallSignaling::find(const std::string& participant_id) const {
    std::lock_guard lock(mutex_);
    auto found = participants_.find(participant_id);
    return found == participants_.end() ? nullptr : found->second.peer.lock();
}

}  // namespace vg::signaling
