// The media engine alone, driven over stdin/stdout, for tests and benchmarks that bring their
// own peers (libwebrtc through node, the load client). Not part of the product.
//
//   vg_media_harness [--bind IP:PORT] [--workers N] [--consent-timeout-ms N]
// Prints "READY <worker address>..." then reads commands, one per line:
//   JOIN <room> <role> <length>\n<offer SDP of length bytes>
//        -> ANSWER <participant> <length>\n<answer SDP>   or   ERROR <participant 0> <reason>
//   ANSWER <participant> <length>\n<the browser's answer to our offer>
//        -> ACCEPTED <participant>   or   REFUSED <participant> <reason>
//   OFFER <participant> <length>\n<the browser's later offer: an ICE restart>
//        -> ANSWER <participant> <length>\n<our answer>   or   REFUSED <participant> <reason>
//   LEAVE <participant>
//   STATS -> STATS <participants> <rooms> <routes> <forwarded packets>
// and reports events as CONNECTED <participant>, QUALITY <participant> <name>=<value>...,
// CLOSED <participant> <reason> and OFFER <participant> <length>\n<our offer SDP>.
// End of input stops the engine.
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>

#include "rtc/MediaEngine.hpp"

namespace {

std::mutex output_mutex;

void emit(const std::string& line, const std::string& body = {}) {
    std::lock_guard lock(output_mutex);
    std::cout << line << '\n' << body << std::flush;
}

struct Events : vg::rtc::MediaEngine::Listener {
    void on_participant_connected(std::uint64_t id) override {
        emit("CONNECTED " + std::to_string(id));
    }
    void on_participant_closed(std::uint64_t id, std::string_view reason) override {
        emit("CLOSED " + std::to_string(id) + " " + std::string(reason));
    }
    void on_offer(std::uint64_t id, std::string sdp) override {
        emit("OFFER " + std::to_string(id) + " " + std::to_string(sdp.size()), sdp);
    }
    void on_participant_quality(const vg::rtc::QualitySummary& q) override {
        emit("QUALITY " + std::to_string(q.participant_id) + " received=" +
             std::to_string(q.packets_received) + " lost=" + std::to_string(q.packets_lost) +
             " recovered=" + std::to_string(q.packets_recovered) + " nacks_sent=" +
             std::to_string(q.nacks_sent) + " nacks_received=" + std::to_string(q.nacks_received) +
             " retransmissions_sent=" + std::to_string(q.retransmissions_sent) +
             " rtt_ms=" + std::to_string(static_cast<int>(q.rtt_ms)) +
             " jitter_ms=" + std::to_string(static_cast<int>(q.jitter_ms)));
    }
};

}  // namespace

int main(int argc, char** argv) {
    vg::rtc::MediaEngine::Options options;
    options.bind_address = "127.0.0.1:0";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        if (name == "--bind")
            options.bind_address = argv[i + 1];
        else if (name == "--workers")
            options.workers = static_cast<unsigned>(std::stoul(argv[i + 1]));
        else if (name == "--public-ip")
            options.public_ip = argv[i + 1];
        else if (name == "--consent-timeout-ms")
            options.consent_timeout = std::chrono::milliseconds(std::stoul(argv[i + 1]));
    }
    Events events;
    vg::rtc::MediaEngine engine(events);
    try {
        engine.start(options);
    } catch (const std::exception& error) {
        std::cerr << "cannot start: " << error.what() << '\n';
        return 1;
    }
    std::string ready = "READY";
    for (const auto& address : engine.worker_addresses()) ready += " " + address;
    emit(ready);

    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream command(line);
        std::string verb;
        command >> verb;
        if (verb == "JOIN") {
            std::string room;
            std::string role;
            std::size_t length = 0;
            command >> room >> role >> length;
            if (length > 64 * 1024) break;
            std::string offer(length, '\0');
            std::cin.read(offer.data(), static_cast<std::streamsize>(length));
            engine.create_participant(room, role, offer, [](vg::rtc::MediaEngine::JoinResult r) {
                if (r.ok)
                    emit("ANSWER " + std::to_string(r.participant_id) + " " +
                             std::to_string(r.answer_sdp.size()),
                         r.answer_sdp);
                else
                    emit("ERROR 0 " + r.error);
            });
        } else if (verb == "ANSWER") {
            std::uint64_t id = 0;
            std::size_t length = 0;
            command >> id >> length;
            if (length > 64 * 1024) break;
            std::string answer(length, '\0');
            std::cin.read(answer.data(), static_cast<std::streamsize>(length));
            engine.accept_answer(id, answer, [id](std::string error) {
                if (error.empty())
                    emit("ACCEPTED " + std::to_string(id));
                else
                    emit("REFUSED " + std::to_string(id) + " " + error);
            });
        } else if (verb == "OFFER") {
            std::uint64_t id = 0;
            std::size_t length = 0;
            command >> id >> length;
            if (length > 64 * 1024) break;
            std::string offer(length, '\0');
            std::cin.read(offer.data(), static_cast<std::streamsize>(length));
            engine.restart_ice(
                id, offer, [id](std::optional<std::string> answer, std::string error) {
                    if (answer)
                        emit("ANSWER " + std::to_string(id) + " " + std::to_string(answer->size()),
                             *answer);
                    else
                        emit("REFUSED " + std::to_string(id) + " " + error);
                });
        } else if (verb == "LEAVE") {
            std::uint64_t id = 0;
            command >> id;
            engine.remove_participant(id);
        } else if (verb == "STATS") {
            const auto stats = engine.stats();
            emit("STATS " + std::to_string(stats.participants) + " " + std::to_string(stats.rooms) +
                 " " + std::to_string(stats.routes) + " " +
                 std::to_string(stats.forwarded_packets));
        }
    }
    engine.stop();
    return 0;
}
