#include "rtc/MediaEngine.hpp"

#include <algorithm>
#include <future>
#include <stdexcept>
#include <thread>

#include "common/Crypto.hpp"
#include "common/Log.hpp"
#include "rtc/dtls/DtlsContext.hpp"
#include "rtc/ice/IceLiteAgent.hpp"
#include "rtc/net/SocketAddress.hpp"
#include "rtc/room/Negotiation.hpp"
#include "rtc/sdp/AnswerBuilder.hpp"
#include "rtc/sdp/CodecPolicy.hpp"
#include "rtc/sdp/SessionDescription.hpp"
#include "rtc/worker/Worker.hpp"

namespace vg::rtc {
namespace {

// Participant ids carry their worker in the low byte, so a command finds its worker without a
// shared table; ICE ufrags carry it too (Worker::mark_ufrag).
constexpr unsigned max_workers = static_cast<unsigned>(worker::Worker::max_workers);

using common::crypto::random_integer;

std::uint32_t random_ssrc() {
    std::uint32_t value = 0;
    while (value == 0) value = static_cast<std::uint32_t>(random_integer<std::uint64_t>());
    return value;
}

}  // namespace

MediaEngine::MediaEngine(Listener& listener) : listener_(listener) {}

MediaEngine::~MediaEngine() {
    stop();
}

void MediaEngine::start(const Options& options) {
    if (!workers_.empty()) throw std::logic_error("media engine already started");
    const auto bind = net::SocketAddress::parse(options.bind_address);
    if (!bind) throw std::invalid_argument("bad media bind address: " + options.bind_address);
    if (!options.public_ip.empty()) {
        if (!net::SocketAddress::from_ip(options.public_ip, 0))
            throw std::invalid_argument("bad public IP: " + options.public_ip);
        announced_ip_ = options.public_ip;
    } else {
        announced_ip_ = bind->ip_string();
        if (announced_ip_ == "0.0.0.0" || announced_ip_ == "::")
            throw std::invalid_argument("a public IP is needed when binding to every interface");
    }
    if (options.consent_timeout <= std::chrono::milliseconds::zero())
        throw std::invalid_argument("consent timeout must be positive");
    consent_timeout_ = options.consent_timeout;
    unsigned count = options.workers != 0 ? options.workers : std::thread::hardware_concurrency();
    count = std::clamp(count, 1U, max_workers);

    context_ = std::make_shared<dtls::DtlsContext>(std::make_shared<dtls::DtlsCertificate>());
    try {
        // Every worker on the one port: the first binds it (a free one for port 0), the others
        // join it.
        auto address = *bind;
        for (unsigned i = 0; i < count; ++i) {
            workers_.push_back(
                std::make_unique<worker::Worker>(i, address, count > 1, context_, listener_));
            address = workers_.front()->local_address();
        }
    } catch (...) {
        workers_.clear();
        throw;
    }
    std::vector<worker::Worker*> siblings;
    for (auto& worker : workers_) siblings.push_back(worker.get());
    for (auto& worker : workers_) worker->set_siblings(siblings);
    for (auto& worker : workers_) worker->start();
    common::log::get("room")->info("media engine: {} workers on {}, announcing {}", count,
                                   workers_.front()->local_address().to_string(), announced_ip_);
}

void MediaEngine::stop() {
    for (auto& worker : workers_) worker->stop();
    workers_.clear();
}

void MediaEngine::create_participant(const std::string& room_id, const std::string& role,
                                     const std::string& offer_sdp, JoinCallback done) {
    const auto refuse = [&](std::string error) {
        JoinResult result;
        result.error = std::move(error);
        done(std::move(result));
    };
    if (workers_.empty()) return refuse("media engine not started");
    if (room_id.empty() || room_id.size() > 256) return refuse("bad call session id");
    if (offer_sdp.size() > sdp::SessionDescription::kMaxSize) return refuse("offer too large");
    std::string error;
    const auto offer = sdp::SessionDescription::parse(offer_sdp, &error);
    if (!offer) return refuse("unreadable offer: " + error);

    const std::size_t worker_index = std::hash<std::string>{}(room_id) % workers_.size();
    worker::Worker& worker = *workers_[worker_index];
    auto local_ice = ice::IceLiteAgent::random_credentials();
    worker::Worker::mark_ufrag(local_ice.ufrag, worker_index);

    // One outgoing stream per section the browser can receive on: what the other participant
    // sends will flow there, under an SSRC chosen now.
    std::vector<sdp::OutgoingStream> streams;
    const std::string stream_id =
        "vg-" + std::to_string(random_integer<std::uint64_t>() & 0xffffffffffULL);
    for (const auto& section : offer->media) {
        if (section.rejected() || !section.is_rtp()) continue;
        if (section.direction != sdp::Direction::SendRecv &&
            section.direction != sdp::Direction::RecvOnly)
            continue;
        sdp::OutgoingStream stream;
        stream.mid = section.mid;
        stream.kind = section.kind;
        stream.stream_id = stream_id;
        stream.track_id = stream_id + "-" + section.kind + "-" + section.mid;
        stream.cname = stream_id;
        stream.ssrc = random_ssrc();
        // Our answers to its NACKs go in RTX (RFC 4588) on an SSRC of their own, where the
        // browser offers RTX for a codec we take.
        const auto codecs = sdp::CodecPolicy::supported_codecs(section);
        if (std::any_of(codecs.begin(), codecs.end(),
                        [](const sdp::Codec& codec) { return codec.associated_payload_type(); }))
            while (stream.rtx_ssrc == 0 || stream.rtx_ssrc == stream.ssrc)
                stream.rtx_ssrc = random_ssrc();
        streams.push_back(std::move(stream));
    }

    sdp::LocalParameters local;
    local.ice_ufrag = local_ice.ufrag;
    local.ice_pwd = local_ice.pwd;
    local.fingerprint_sha256 = context_->certificate().fingerprint();
    local.candidate_ip = announced_ip_;
    local.candidate_port = worker.local_address().port();
    // Every worker also listens on TCP on that port (RFC 6544), for networks without UDP.
    local.tcp_candidate = true;
    local.session_id = random_integer<std::uint64_t>() >> 2;
    const auto answer = sdp::AnswerBuilder(local).build(*offer, streams, &error);
    if (!answer) return refuse("offer cannot be answered: " + error);

    const sdp::MediaSection* first = nullptr;
    for (const auto& section : answer->media)
        if (!section.rejected()) {
            first = offer->section(section.mid);
            break;
        }
    if (first == nullptr) return refuse("offer cannot be answered");

    worker::Worker::ParticipantSpec spec;
    spec.room_id = room_id;
    spec.role = role;
    spec.media = room::Negotiation::settings(*answer);
    spec.negotiation = std::make_shared<room::Negotiation>(local, *offer, *answer);
    spec.transport.id = (next_participant_.fetch_add(1) << 8) | worker_index;
    spec.transport.local_ice = local_ice;
    spec.transport.remote_ice = {first->ice_ufrag, first->ice_pwd};
    spec.transport.remote_fingerprint = first->fingerprint;
    spec.transport.consent_timeout = consent_timeout_;
    const auto* answered = answer->section(first->mid);
    spec.transport.dtls_role = answered != nullptr && answered->setup == sdp::Setup::Active
                                   ? dtls::DtlsTransport::Role::Client
                                   : dtls::DtlsTransport::Role::Server;

    auto shared_done = std::make_shared<JoinCallback>(std::move(done));
    auto command = [&worker, spec = std::move(spec), answer_sdp = answer->to_string(),
                    shared_done]() mutable {
        JoinResult result;
        const std::uint64_t id = spec.transport.id;
        result.participant_id = id;
        try {
            worker.add_participant(std::move(spec));
            result.ok = true;
            result.answer_sdp = std::move(answer_sdp);
        } catch (const std::exception& failure) {
            result.participant_id = 0;
            result.error = failure.what();
        }
        const bool added = result.ok;
        (*shared_done)(std::move(result));
        // Only now may offers for the newcomer follow: its answer went out first.
        if (added) worker.renegotiate(id);
    };
    if (!worker.post(std::move(command))) {
        JoinResult result;
        result.error = "media worker busy";
        (*shared_done)(std::move(result));
    }
}

void MediaEngine::remove_participant(std::uint64_t participant_id) {
    const std::size_t index = participant_id & 0xff;
    if (index >= workers_.size()) return;
    worker::Worker& worker = *workers_[index];
    // A full queue retries shortly: a leave must never be lost, or the participant would
    // linger until its consent timer ends it.
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (worker.post([&worker, participant_id] {
                worker.remove_participant(participant_id, "left", true);
            }))
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void MediaEngine::accept_answer(std::uint64_t participant_id, const std::string& answer_sdp,
                                AnswerCallback done) {
    const std::size_t index = participant_id & 0xff;
    if (index >= workers_.size()) return done("no such participant");
    if (answer_sdp.size() > sdp::SessionDescription::kMaxSize) return done("answer too large");
    worker::Worker& worker = *workers_[index];
    auto shared_done = std::make_shared<AnswerCallback>(std::move(done));
    auto command = [&worker, participant_id, answer_sdp, shared_done] {
        std::string error;
        worker.accept_answer(participant_id, answer_sdp, error);
        (*shared_done)(error);
        // The next offer, if the call changed meanwhile, follows the answer's result.
        worker.renegotiate(participant_id);
    };
    if (!worker.post(std::move(command))) (*shared_done)("media worker busy");
}

void MediaEngine::restart_ice(std::uint64_t participant_id, const std::string& offer_sdp,
                              RestartCallback done) {
    const std::size_t index = participant_id & 0xff;
    if (index >= workers_.size()) return done(std::nullopt, "no such participant");
    if (offer_sdp.size() > sdp::SessionDescription::kMaxSize)
        return done(std::nullopt, "offer too large");
    worker::Worker& worker = *workers_[index];
    auto shared_done = std::make_shared<RestartCallback>(std::move(done));
    auto command = [&worker, participant_id, offer_sdp, shared_done] {
        std::string error;
        auto answer = worker.restart_ice(participant_id, offer_sdp, error);
        (*shared_done)(std::move(answer), error);
        // A change that came meanwhile is offered once the answer went out.
        worker.renegotiate(participant_id);
    };
    if (!worker.post(std::move(command))) (*shared_done)(std::nullopt, "media worker busy");
}

const std::string& MediaEngine::fingerprint() const {
    static const std::string none;
    return context_ ? context_->certificate().fingerprint() : none;
}

std::vector<std::string> MediaEngine::worker_addresses() const {
    std::vector<std::string> addresses;
    for (const auto& worker : workers_) addresses.push_back(worker->local_address().to_string());
    return addresses;
}

MediaEngine::Stats MediaEngine::stats() const {
    Stats total;
    std::size_t rtt_participants = 0;
    for (const auto& worker : workers_) {
        std::promise<worker::Worker::Stats> promise;
        auto future = promise.get_future();
        worker::Worker* target = worker.get();
        if (!target->post([&promise, target] { promise.set_value(target->stats()); })) continue;
        const auto stats = future.get();
        total.rooms += stats.rooms;
        total.participants += stats.participants;
        total.routes += stats.routes;
        total.forwarded_packets += stats.forwarded_packets;
        total.handed_over += stats.handed_over;
        total.dropped_datagrams += stats.dropped_datagrams;
        total.tcp_connections += stats.tcp.connections;
        total.tcp_unauthenticated += stats.tcp.unauthenticated;
        total.tcp_refused_per_address += stats.tcp.refused_per_address;
        total.tcp_refused_per_worker += stats.tcp.refused - stats.tcp.refused_per_address;
        total.chat_messages_dropped += stats.chat_messages_dropped;
        total.quality.add_counters(stats.quality);
        total.quality.receive_bitrate += stats.quality.receive_bitrate;
        total.quality.send_bitrate += stats.quality.send_bitrate;
        total.quality.jitter_ms = std::max(total.quality.jitter_ms, stats.quality.jitter_ms);
        total.quality.rtt_ms += stats.quality.rtt_ms;
        rtt_participants += stats.rtt_participants;
    }
    if (rtt_participants > 0) total.quality.rtt_ms /= static_cast<double>(rtt_participants);
    return total;
}

}  // namespace vg::rtc
