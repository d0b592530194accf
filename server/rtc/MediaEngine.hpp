#pragma once
// The media server as the control plane sees it: the only rtc/ type signaling/ and app/ use.
// Typed commands in, typed events out, no JSON, no sockets.
//
//   MediaEngine engine(listener);
//   engine.start({.bind_address = "0.0.0.0:40000", .public_ip = "203.0.113.5"});
//   engine.create_participant("call-session-uuid", "booth", offer_sdp, [](JoinResult r) {...});
//   ...events arrive on listener: connected, offer, closed (left, timed out, DTLS failed)...
//   engine.accept_answer(r.participant_id, browser_answer_sdp, [](std::string error) {...});
//   engine.remove_participant(r.participant_id);
//   engine.stop();
//
// Threads: commands may be called from any thread (after start, before stop). Callbacks and
// Listener events run on a media worker's thread (a refusal found before reaching a worker runs
// `done` on the calling thread, before create_participant returns): post them to your own
// executor and return quickly; never call a blocking MediaEngine function (stats) from them.
//
// Call sessions: every participant of one room id is served by the same worker, chosen by
// hashing the id. All workers share the one media port (SO_REUSEPORT); a datagram the kernel
// gives to another worker is handed to the owner (see worker/Worker.hpp). Every participant
// receives one audio and one video track per other participant that sends them (up to 8 per
// call session). A two-party call flows on the sections of the first offer and answer; when a
// participant's tracks appear or go (a join or a leave), each other participant whose tracks
// change gets a server offer (on_offer) describing exactly what it should receive, and its
// browser's answer comes back through accept_answer (room/Room.hpp, room/Negotiation.hpp).
// One offer is in flight per participant; a change meanwhile waits for the answer. Offers
// never restart ICE: same credentials, fingerprint, DTLS role and BUNDLE transport. The browser
// offers again only to restart ICE when its network changed (restart_ice): new ICE credentials
// both sides, the same DTLS association and keys, media on the path it nominates next.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/MediaListener.hpp"
#include "rtc/QualitySummary.hpp"

namespace vg::rtc {

namespace dtls {
class DtlsContext;
}
namespace worker {
class Worker;
}

class MediaEngine {
  public:
    struct Options {
        // Where the workers listen, all on this one port: "IP:port" (IPv4 or [IPv6]); port 0
        // picks a free one.
        std::string bind_address = "127.0.0.1:0";
        // The IP announced in SDP candidates ("" = the bind IP, which must then not be
        // 0.0.0.0 or ::). Set from VISIOGUICHET_PUBLIC_ADDR.
        std::string public_ip;
        // 0 = one per core; at most 64.
        unsigned workers = 0;
        // RFC 7675: a participant without a valid ICE check this long is removed.
        std::chrono::milliseconds consent_timeout = std::chrono::seconds(30);
    };

    struct JoinResult {
        bool ok = false;
        std::uint64_t participant_id = 0;
        std::string answer_sdp;  // on success
        std::string error;       // on failure: why the offer or the join was refused
    };
    using JoinCallback = std::function<void(JoinResult)>;

    struct Stats {
        std::size_t rooms = 0;
        std::size_t participants = 0;
        std::size_t routes = 0;
        std::uint64_t forwarded_packets = 0;  // of the participants present
        std::uint64_t handed_over = 0;        // datagrams passed between workers
        std::uint64_t dropped_datagrams = 0;  // unroutable or failing ICE/SRTP checks
        // ICE-TCP: open, of those not yet past an ICE check; refused at accept by the bound per
        // client address, or by a worker's bounds on all connections.
        std::size_t tcp_connections = 0;
        std::size_t tcp_unauthenticated = 0;
        std::uint64_t tcp_refused_per_address = 0;
        std::uint64_t tcp_refused_per_worker = 0;
        std::uint64_t chat_messages_dropped = 0;  // over their sender's rate
        // Counters: of every participant since start. Bitrates: summed over those present;
        // rtt_ms: their mean where known (0: none known); jitter_ms: the largest.
        QualitySummary quality;
    };

    using Listener = MediaListener;
    // "" when accepted, else why the answer was refused (nothing changed).
    using AnswerCallback = std::function<void(std::string error)>;

    explicit MediaEngine(Listener& listener);
    ~MediaEngine();
    MediaEngine(const MediaEngine&) = delete;
    MediaEngine& operator=(const MediaEngine&) = delete;

    // Makes the DTLS certificate, binds the sockets, starts the workers. Throws
    // std::invalid_argument for bad options, std::system_error when a port is taken.
    void start(const Options& options);
    // Stops the workers; participants are dropped without events. Idempotent.
    void stop();

    // Answers a browser's offer and adds the participant to the call session room_id (made on
    // first use). done is called exactly once, with the answer or the reason for refusal.
    void create_participant(const std::string& room_id, const std::string& role,
                            const std::string& offer_sdp, JoinCallback done);
    // Releases the participant; on_participant_closed follows with reason "left". Unknown ids
    // are ignored.
    void remove_participant(std::uint64_t participant_id);
    // The browser's answer to the participant's last on_offer. done is called exactly once; an
    // answer that does not fit the offer (other sections, codecs or extension ids, an ICE
    // restart, another fingerprint or DTLS role) or with no offer pending is refused.
    void accept_answer(std::uint64_t participant_id, const std::string& answer_sdp,
                       AnswerCallback done);

    // A later offer from the participant's browser: only an ICE restart is accepted (new
    // ICE credentials, nothing else changed; refused while a server offer waits for its
    // answer: the browser answers that first). done is called exactly once, with our answer
    // (new local credentials) or the reason for refusal (nothing changed).
    using RestartCallback =
        std::function<void(std::optional<std::string> answer_sdp, std::string error)>;
    void restart_ice(std::uint64_t participant_id, const std::string& offer_sdp,
                     RestartCallback done);

    // Our certificate's fingerprint (sha-256), as in every answer.
    const std::string& fingerprint() const;
    // Where worker i listens: the same address for all (tests and logs).
    std::vector<std::string> worker_addresses() const;
    // Sums the workers' counters; blocks the caller until every worker answered (control-plane
    // threads only).
    Stats stats() const;

  private:
    Listener& listener_;
    std::shared_ptr<dtls::DtlsContext> context_;
    std::vector<std::unique_ptr<worker::Worker>> workers_;
    std::string announced_ip_;
    std::chrono::milliseconds consent_timeout_{};
    std::atomic<std::uint64_t> next_participant_{1};
};

}  // namespace vg::rtc
